// Fair probability of a parlay from the live book: validate legs, de-vig each leg from its own market,
// price same-game legs jointly with the sport's score model, multiply across games (independent).

import { legSemantics, marketSpec, type LegSemantics } from "./markets.ts";
import { legFairProbability, type LegFair } from "./leg.ts";
import { boxOf, boxProbability, describeModel, fitGameModel, modelKindForSport, type FitTarget } from "./game-model.ts";
import type { ExposureLeg } from "../risk/exposure.ts";
import type { DeclineReason, EventInfo, LineInfo, MarketView, ParlayLeg, PricingConfig, QuoteInputsRecord, Sport } from "./types.ts";

export interface PricedLeg {
  leg: ParlayLeg;
  info: LineInfo;
  event: EventInfo;
  semantics: LegSemantics;
  fair: LegFair;
}

export interface PricedGame {
  eventId: string;
  sport: Sport;
  legs: PricedLeg[];
  jointProbability: number;
  record: QuoteInputsRecord["games"][number];
}

export interface FairParlay {
  ok: true;
  fairProbability: number;
  legs: PricedLeg[];
  games: PricedGame[];
  exposureLegs: ExposureLeg[];
}

export type FairParlayResult = FairParlay | { ok: false; reason: DeclineReason; detail?: string };

const fail = (reason: DeclineReason, detail?: string): FairParlayResult => ({ ok: false, reason, detail });

/** The legs as exposure keys (line, event, backed team). */
export function exposureLegsOf(legs: readonly PricedLeg[]): ExposureLeg[] {
  return legs.map((l) => ({
    lineId: l.leg.lineId,
    eventId: l.info.eventId,
    teamId: l.semantics.side === "home" ? l.event.homeTeamId : l.semantics.side === "away" ? l.event.awayTeamId : undefined,
  }));
}

/** Fit targets of one game: fair probability of every supported line of the event with a usable book. */
function gameTargets(eventId: string, view: MarketView, config: PricingConfig, nowMs: number): FitTarget[] {
  const out: FitTarget[] = [];
  for (const line of view.eventLines(eventId)) {
    const spec = marketSpec(line.marketId);
    if (!spec) continue;
    const idx = spec.outcomes.indexOf(line.outcomeId);
    // One target per market line: the first outcome (home/over); for 1X2 also the away outcome.
    if (!(idx === 0 || (spec.outcomes.length === 3 && idx === 2))) continue;
    if (line.line !== undefined && spec.kind !== "winner" && Number.isInteger(line.line)) continue; // pushes
    const sem = legSemantics(line);
    if (!sem) continue;
    const fair = legFairProbability(line, view, config, nowMs);
    if (!fair.ok) continue;
    out.push({ condition: sem.condition, probability: fair.leg.fairProbability });
  }
  return out;
}

export function priceParlayFair(legs: readonly ParlayLeg[], view: MarketView, config: PricingConfig, nowMs: number): FairParlayResult {
  if (legs.length < config.minLegs) return fail("too_few_legs");
  if (legs.length > config.maxLegs) return fail("too_many_legs");
  const seen = new Set<string>();
  const priced: PricedLeg[] = [];
  for (const leg of legs) {
    if (seen.has(leg.lineId)) return fail("duplicate_leg", leg.lineId);
    seen.add(leg.lineId);
    const info = view.line(leg.lineId);
    if (!info) return fail("unknown_line", leg.lineId);
    if (
      info.marketId !== leg.marketId ||
      info.outcomeId !== leg.outcomeId ||
      info.eventId !== leg.sportEventId ||
      (leg.line !== undefined && info.line !== undefined && Math.abs(leg.line - info.line) > 1e-9)
    ) {
      return fail("line_mismatch", leg.lineId);
    }
    const event = view.event(info.eventId);
    if (!event) return fail("unknown_event", info.eventId);
    if (event.status !== "not_started") return fail(event.status === "live" || event.status === "ended" ? "event_started" : "event_not_open", info.eventId);
    if (event.startsAtMs - nowMs < config.minTimeToStartMs) return fail("event_started", info.eventId);
    const spec = marketSpec(info.marketId);
    if (!spec || !spec.sports.includes(event.sport)) return fail("unsupported_market", `${info.marketId}`);
    const semantics = legSemantics(info);
    if (!semantics) return fail("unsupported_line", leg.lineId);
    const fair = legFairProbability(info, view, config, nowMs);
    if (!fair.ok) return fail(fair.reason, fair.detail);
    priced.push({ leg, info, event, semantics, fair: fair.leg });
  }

  // Group by game.
  const byEvent = new Map<string, PricedLeg[]>();
  for (const p of priced) {
    const g = byEvent.get(p.info.eventId);
    if (g) g.push(p);
    else byEvent.set(p.info.eventId, [p]);
  }

  const games: PricedGame[] = [];
  let fairProbability = 1;
  for (const [eventId, group] of byEvent) {
    const sport = group[0]!.event.sport;
    const independent = group.reduce((s, l) => s * l.fair.fairProbability, 1);
    if (group.length === 1) {
      fairProbability *= independent;
      games.push({
        eventId,
        sport,
        legs: group,
        jointProbability: independent,
        record: {
          eventId,
          sport,
          model: modelKindForSport(sport),
          params: {},
          legIds: group.map((l) => l.leg.lineId),
          independentProbability: independent,
          modelJointProbability: independent,
          modelIndependentProbability: independent,
          jointProbability: independent,
        },
      });
      continue;
    }
    // Same-game rules (see docs/pricing.md "Correlation rules").
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i]!;
        const b = group[j]!;
        if (a.info.marketId === b.info.marketId) {
          if (a.info.outcomeId !== b.info.outcomeId) return fail("opposite_sides", `${a.leg.lineId},${b.leg.lineId}`);
          if (!config.allowSameMarketTwice) return fail("same_market_twice", `${a.leg.lineId},${b.leg.lineId}`);
        }
        const kinds = new Set([a.semantics.kind, b.semantics.kind]);
        if (kinds.has("winner") && kinds.has("handicap") && !config.allowWinnerWithHandicap) {
          return fail("winner_with_handicap", `${a.leg.lineId},${b.leg.lineId}`);
        }
      }
    }
    const conditions = group.map((l) => l.semantics.condition);
    const box = boxOf(conditions);
    if (box.marginLo > box.marginHi || box.totalLo > box.totalHi) return fail("contradictory_legs", eventId);
    // A bounded window on one axis built from two different legs is a "middle": its price hangs on the
    // model's density at a few scores → refuse (the draw leg alone is a window and is fine).
    const windowLegs = (on: "margin" | "total"): boolean => {
      const lows = conditions.filter((c) => c.on === on && Number.isFinite(c.lo)).length;
      const highs = conditions.filter((c) => c.on === on && Number.isFinite(c.hi)).length;
      const draws = conditions.filter((c) => c.on === on && Number.isFinite(c.lo) && Number.isFinite(c.hi)).length;
      return lows > 0 && highs > 0 && !(draws === 1 && lows === 1 && highs === 1);
    };
    if (windowLegs("margin") || windowLegs("total")) return fail("opposite_sides", eventId);

    const params = config.sportModel[sport];
    const targets = gameTargets(eventId, view, config, nowMs);
    const model = fitGameModel(sport, targets, params);
    if (!model) return fail("model_fit_failed", eventId);
    const modelJoint = boxProbability(model, box);
    let modelIndependent = 1;
    for (const c of conditions) modelIndependent *= boxProbability(model, boxOf([c]));
    if (!(modelIndependent > 0) || !(modelJoint > 0)) return fail("contradictory_legs", eventId);
    // Keep each leg's own market price; take only the dependence from the model (correlation factor).
    const minLeg = Math.min(...group.map((l) => l.fair.fairProbability));
    const joint = Math.min(minLeg, independent * (modelJoint / modelIndependent));
    fairProbability *= joint;
    games.push({
      eventId,
      sport,
      legs: group,
      jointProbability: joint,
      record: {
        eventId,
        sport,
        model: model.model,
        params: describeModel(model),
        legIds: group.map((l) => l.leg.lineId),
        independentProbability: independent,
        modelJointProbability: modelJoint,
        modelIndependentProbability: modelIndependent,
        jointProbability: joint,
      },
    });
  }
  if (!(fairProbability >= config.minParlayProbability)) return fail("parlay_probability_too_low");
  return { ok: true, fairProbability, legs: priced, games, exposureLegs: exposureLegsOf(priced) };
}
