// Deterministic world generation: tournaments, teams, the schedule of events, their markets and
// lines, each game's hidden score model over time and its final result. Everything here is a pure
// function of the seed and the options: the same seed (and start time) gives the same world, the
// same true probabilities at the same simulated time, and the same results.
//
// Time model for one event (simulated milliseconds):
//   listedAtMs ── pre-match: the model's means drift in buckets ── scheduledMs (kick-off)
//   ── live: the score evolves toward the pre-drawn result (Brownian bridge for margin/total,
//   uniform goal times for Poisson sports), the true probabilities are the exact conditional
//   probabilities given the score so far ── endMs: result known, event settles.

import { createRng, hashSeed, type Rng } from "./rng";
import {
  buildRawGrid,
  sampleFinalScore,
  type ScoreModel,
  type Score,
  type SportKey,
  type TieRule,
} from "./score-model";
import type { OutcomeSpec } from "./outcomes";
import { SPORTS, TOURNAMENTS, type SportSpec, type TournamentSpec } from "./sports";

export interface WorldOptions {
  readonly seed: number;
  /** Simulated time of the world's start (ms since epoch). */
  readonly startTimeMs: number;
  /** Events listed per tournament at any time (not yet ended). */
  readonly eventsAhead: number;
  readonly firstEventOffsetMs: number;
  readonly tournamentStaggerMs: number;
  readonly eventSpacingMs: number;
  readonly gameDurationMs: number;
  /** Pre-match model drift happens once per bucket. */
  readonly driftBucketMs: number;
  /** In-play model updates per game. */
  readonly liveSteps: number;
  /** Tournament ids to include (default: all). */
  readonly tournamentIds?: readonly number[];
}

export const DEFAULT_WORLD_OPTIONS: Omit<WorldOptions, "seed" | "startTimeMs"> = {
  eventsAhead: 4,
  firstEventOffsetMs: 10 * 60_000,
  tournamentStaggerMs: 3 * 60_000,
  eventSpacingMs: 30 * 60_000,
  gameDurationMs: 40 * 60_000,
  driftBucketMs: 60_000,
  liveSteps: 12,
};

export interface Team {
  readonly id: number;
  readonly name: string;
  readonly abbreviation: string;
  readonly country: string;
  /** Points (normal sports) or log-rate units (Poisson sports). */
  readonly rating: number;
}

export interface WorldTournament {
  readonly index: number;
  readonly spec: TournamentSpec;
  readonly sport: SportSpec;
  readonly teams: readonly Team[];
}

export type MarketType = "moneyline" | "spread" | "total";

export interface OutcomeDef {
  /** Bit position within the event (for joint probabilities). */
  readonly bit: number;
  readonly lineId: string;
  readonly outcomeId: number;
  readonly name: string;
  readonly spec: OutcomeSpec;
  readonly line: number | null;
  readonly displayLine: string;
  readonly competitorId: number | null;
  readonly marketId: number;
  readonly marketLineId: number;
  readonly marketType: MarketType;
}

export interface MarketLineDef {
  readonly id: number;
  readonly marketId: number;
  readonly marketType: MarketType;
  readonly line: number | null;
  readonly favourite: boolean;
  readonly name: string;
  readonly outcomes: readonly OutcomeDef[];
}

export interface MarketDef {
  readonly marketId: number;
  readonly type: MarketType;
  readonly name: string;
  readonly lines: readonly MarketLineDef[];
}

export interface FinalScore extends Score {
  readonly decidedByTie: boolean;
}

export interface LivePath {
  readonly steps: number;
  /** Normal sports: margin and total on the board at step i/steps, i = 0..steps. */
  readonly margin?: Float64Array;
  readonly total?: Float64Array;
  /** Poisson sports: when (game fraction) each goal was scored; a tie-breaker has time 1. */
  readonly homeGoalTimes?: Float64Array;
  readonly awayGoalTimes?: Float64Array;
}

export interface EventDef {
  readonly eventId: number;
  readonly tournamentId: number;
  readonly tournamentIndex: number;
  readonly sequence: number;
  readonly sport: SportKey;
  readonly home: Team;
  readonly away: Team;
  readonly listedAtMs: number;
  readonly scheduledMs: number;
  readonly endMs: number;
  readonly markets: readonly MarketDef[];
  /** All outcomes in bit order. */
  readonly outcomes: readonly OutcomeDef[];
  readonly tieRule: TieRule;
  readonly driftBucketMs: number;
  /** Per-event phase of the drift buckets, so events listed together do not all move at once. */
  readonly driftOffsetMs: number;
  /** Pre-match model per drift bucket; the last entry is the kick-off model. */
  readonly preMatch: readonly ScoreModel[];
  readonly result: FinalScore;
  readonly live: LivePath;
}

export const buildTournaments = (opts: Pick<WorldOptions, "seed" | "tournamentIds">): WorldTournament[] => {
  const root = createRng(opts.seed);
  const specs = opts.tournamentIds
    ? TOURNAMENTS.filter((t) => opts.tournamentIds!.includes(t.id))
    : TOURNAMENTS;
  return specs.map((spec, index) => {
    const sport = SPORTS[spec.sport];
    const rng = root.fork("teams", spec.id);
    const teams = spec.teams.map((team, i) => ({
      id: 4_000_000 + spec.id * 100 + i,
      name: team.name,
      abbreviation: team.abbreviation,
      country: spec.category.countryCode,
      rating: rng.normal(0, sport.model.ratingSd),
    }));
    return { index, spec, sport, teams };
  });
};

export interface EventSchedule {
  readonly listedAtMs: number;
  readonly scheduledMs: number;
  readonly endMs: number;
}

const scheduledAt = (opts: WorldOptions, tournament: WorldTournament, k: number): number => {
  const jitterMinutes = createRng(hashSeed(opts.seed, "schedule", tournament.spec.id, k)).int(
    0,
    Math.max(0, Math.floor(opts.eventSpacingMs / 3 / 60_000)),
  );
  return (
    opts.startTimeMs +
    opts.firstEventOffsetMs +
    tournament.index * opts.tournamentStaggerMs +
    k * opts.eventSpacingMs +
    jitterMinutes * 60_000
  );
};

/** When event number `k` of a tournament is listed, starts and ends (simulated ms). */
export const scheduleOf = (opts: WorldOptions, tournament: WorldTournament, k: number): EventSchedule => {
  const scheduledMs = scheduledAt(opts, tournament, k);
  const listedAtMs =
    k < opts.eventsAhead
      ? opts.startTimeMs
      : Math.min(scheduledMs, scheduledAt(opts, tournament, k - opts.eventsAhead) + opts.gameDurationMs);
  return { listedAtMs, scheduledMs, endMs: scheduledMs + opts.gameDurationMs };
};

export const eventIdOf = (opts: Pick<WorldOptions, "seed">, tournament: WorldTournament, k: number): number =>
  (tournament.index + 1) * 10_000_000 + (hashSeed(opts.seed, "event-ids") % 90) * 100_000 + k;

const half = (x: number): number => Math.floor(x) + 0.5;
const signed = (x: number): string => (x > 0 ? `+${x}` : `${x}`);

interface LinePlan {
  readonly handicaps: readonly number[];
  readonly handicapMain: number;
  readonly totals: readonly number[];
  readonly totalMain: number;
}

const planLines = (sport: SportSpec, model: ScoreModel): LinePlan => {
  if (model.kind === "normal" && sport.model.family === "normal") {
    const hMain = half(-model.marginMean);
    const tMain = half(model.totalMean);
    const hs = sport.model.handicapStep;
    const ts = sport.model.totalStep;
    return {
      handicaps: [hMain - hs, hMain, hMain + hs],
      handicapMain: 1,
      totals: [tMain - ts, tMain, tMain + ts],
      totalMain: 1,
    };
  }
  if (model.kind !== "poisson") throw new Error("model family mismatch");
  const diff = model.homeRate - model.awayRate;
  const totalMain = Math.max(0.5, Math.floor(model.homeRate + model.awayRate - 0.3) + 0.5);
  const totals = [Math.max(0.5, totalMain - 1), totalMain, totalMain + 1].filter(
    (v, i, all) => all.indexOf(v) === i,
  );
  if (sport.threeWay) {
    const main = diff > 0.3 ? -0.5 : diff < -0.3 ? 0.5 : -0.5;
    return { handicaps: [main - 1, main, main + 1], handicapMain: 1, totals, totalMain: totals.indexOf(totalMain) };
  }
  // Run line / puck line: ±1.5 around the favourite, plus a further alternative.
  return diff >= 0
    ? { handicaps: [-2.5, -1.5, 1.5], handicapMain: 1, totals, totalMain: totals.indexOf(totalMain) }
    : { handicaps: [-1.5, 1.5, 2.5], handicapMain: 1, totals, totalMain: totals.indexOf(totalMain) };
};

const initialModel = (sport: SportSpec, home: Team, away: Team, rng: Rng): ScoreModel => {
  const m = sport.model;
  if (m.family === "normal") {
    return {
      kind: "normal",
      marginMean: home.rating - away.rating + m.homeAdvantage + rng.normal(0, 1),
      marginSd: m.marginSd,
      totalMean: m.totalMean + rng.normal(0, m.totalMeanSd),
      totalSd: m.totalSd,
    };
  }
  const diff = (home.rating - away.rating) / 2;
  return {
    kind: "poisson",
    homeRate: Math.exp(Math.log(m.homeRate) + diff + rng.normal(0, 0.05)),
    awayRate: Math.exp(Math.log(m.awayRate) - diff + rng.normal(0, 0.05)),
    rho: m.rho,
  };
};

const driftModel = (sport: SportSpec, model: ScoreModel, rng: Rng): ScoreModel => {
  const m = sport.model;
  if (model.kind === "normal" && m.family === "normal") {
    return {
      ...model,
      marginMean: model.marginMean + rng.normal(0, m.marginDrift),
      totalMean: model.totalMean + rng.normal(0, m.totalDrift),
    };
  }
  if (model.kind === "poisson" && m.family === "poisson") {
    return {
      ...model,
      homeRate: model.homeRate * Math.exp(rng.normal(0, m.logRateDrift)),
      awayRate: model.awayRate * Math.exp(rng.normal(0, m.logRateDrift)),
    };
  }
  throw new Error("model family mismatch");
};

/** P(home wins | regulation not tied) under a model: the share used to break ties. */
const homeShareOfDecided = (model: ScoreModel): number => {
  const g = buildRawGrid(model);
  let home = 0;
  let away = 0;
  for (let i = 0; i < g.homeCount; i++) {
    for (let j = 0; j < g.awayCount; j++) {
      const h = g.minHome + i;
      const a = g.minAway + j;
      const p = g.probs[i * g.awayCount + j]!;
      if (h > a) home += p;
      else if (a > h) away += p;
    }
  }
  return home + away > 0 ? home / (home + away) : 0.5;
};

const buildMarkets = (
  eventId: number,
  sport: SportSpec,
  home: Team,
  away: Team,
  plan: LinePlan,
  lineIdRng: Rng,
): { markets: MarketDef[]; outcomes: OutcomeDef[] } => {
  const outcomes: OutcomeDef[] = [];
  let lineSeq = 0;
  const makeLine = (
    marketId: number,
    marketType: MarketType,
    line: number | null,
    favourite: boolean,
    name: string,
    parts: ReadonlyArray<Omit<OutcomeDef, "bit" | "lineId" | "marketId" | "marketLineId" | "marketType">>,
  ): MarketLineDef => {
    const id = eventId * 100 + ++lineSeq;
    const defs = parts.map((p) => {
      const bit = outcomes.length;
      const def: OutcomeDef = {
        ...p,
        bit,
        lineId: lineIdRng.fork("line", eventId, bit).hex(32),
        marketId,
        marketLineId: id,
        marketType,
      };
      outcomes.push(def);
      return def;
    });
    return { id, marketId, marketType, line, favourite, name, outcomes: defs };
  };

  const winnerParts: Array<Omit<OutcomeDef, "bit" | "lineId" | "marketId" | "marketLineId" | "marketType">> = [
    { outcomeId: sport.threeWay ? 1 : 4, name: home.name, spec: { kind: "home_win" }, line: null, displayLine: "", competitorId: home.id },
  ];
  if (sport.threeWay) {
    winnerParts.push({ outcomeId: 2, name: "Draw", spec: { kind: "draw" }, line: null, displayLine: "", competitorId: null });
  }
  winnerParts.push({
    outcomeId: sport.threeWay ? 3 : 5,
    name: away.name,
    spec: { kind: "away_win" },
    line: null,
    displayLine: "",
    competitorId: away.id,
  });
  const winner: MarketDef = {
    marketId: sport.markets.winner,
    type: "moneyline",
    name: sport.threeWay ? "1X2" : "Moneyline",
    lines: [makeLine(sport.markets.winner, "moneyline", null, true, sport.threeWay ? "1X2" : "Moneyline", winnerParts)],
  };

  const handicap: MarketDef = {
    marketId: sport.markets.handicap,
    type: "spread",
    name: sport.handicapName,
    lines: plan.handicaps.map((h, i) =>
      makeLine(sport.markets.handicap, "spread", h, i === plan.handicapMain, `${sport.handicapName} ${signed(h)}`, [
        { outcomeId: 1714, name: `${home.name} ${signed(h)}`, spec: { kind: "home_handicap", line: h }, line: h, displayLine: signed(h), competitorId: home.id },
        { outcomeId: 1715, name: `${away.name} ${signed(-h)}`, spec: { kind: "away_handicap", line: -h }, line: -h, displayLine: signed(-h), competitorId: away.id },
      ]),
    ),
  };

  const total: MarketDef = {
    marketId: sport.markets.total,
    type: "total",
    name: "Total",
    lines: plan.totals.map((tl, i) =>
      makeLine(sport.markets.total, "total", tl, i === plan.totalMain, `Total ${tl}`, [
        { outcomeId: 12, name: `Over ${tl}`, spec: { kind: "over", line: tl }, line: tl, displayLine: `${tl}`, competitorId: null },
        { outcomeId: 13, name: `Under ${tl}`, spec: { kind: "under", line: tl }, line: tl, displayLine: `${tl}`, competitorId: null },
      ]),
    ),
  };
  return { markets: [winner, handicap, total], outcomes };
};

/** A Brownian bridge from 0 (f = 0) to `end` (f = 1) with variance `sd²` per unit time. */
const bridgePath = (end: number, sd: number, steps: number, rng: Rng): Float64Array => {
  const path = new Float64Array(steps + 1);
  for (let i = 1; i < steps; i++) {
    const f0 = (i - 1) / steps;
    const f1 = i / steps;
    const prev = path[i - 1]!;
    const mean = prev + ((f1 - f0) / (1 - f0)) * (end - prev);
    const variance = (sd * sd * (f1 - f0) * (1 - f1)) / (1 - f0);
    path[i] = mean + Math.sqrt(Math.max(0, variance)) * rng.normal();
  }
  path[steps] = end;
  return path;
};

const goalTimes = (count: number, tieBreaker: boolean, rng: Rng): Float64Array => {
  const regular = Array.from({ length: count - (tieBreaker ? 1 : 0) }, () => rng.next()).sort((a, b) => a - b);
  if (tieBreaker) regular.push(1);
  return Float64Array.from(regular);
};

export const generateEvent = (opts: WorldOptions, tournament: WorldTournament, k: number): EventDef => {
  const sport = tournament.sport;
  const rng = createRng(hashSeed(opts.seed, "event", tournament.spec.id, k));
  const eventId = eventIdOf(opts, tournament, k);
  const homeIdx = rng.int(0, tournament.teams.length - 1);
  let awayIdx = rng.int(0, tournament.teams.length - 2);
  if (awayIdx >= homeIdx) awayIdx++;
  const home = tournament.teams[homeIdx]!;
  const away = tournament.teams[awayIdx]!;
  const schedule = scheduleOf(opts, tournament, k);

  const driftRng = rng.fork("drift");
  const buckets = Math.max(0, Math.floor((schedule.scheduledMs - schedule.listedAtMs) / opts.driftBucketMs));
  const preMatch: ScoreModel[] = [initialModel(sport, home, away, rng.fork("initial"))];
  for (let i = 0; i < buckets; i++) preMatch.push(driftModel(sport, preMatch[i]!, driftRng));
  const kickoff = preMatch[preMatch.length - 1]!;

  const tieRule: TieRule = { kind: sport.tieRule, homeShare: sport.tieRule === "extra" ? homeShareOfDecided(kickoff) : 0.5 };
  const resultRng = rng.fork("result");
  const result = sampleFinalScore(kickoff, tieRule, resultRng.next(), resultRng.next());

  const liveRng = rng.fork("live");
  let live: LivePath;
  if (kickoff.kind === "normal") {
    live = {
      steps: opts.liveSteps,
      margin: bridgePath(result.home - result.away, kickoff.marginSd, opts.liveSteps, liveRng),
      total: bridgePath(result.home + result.away, kickoff.totalSd, opts.liveSteps, liveRng),
    };
  } else {
    const homeTieBreak = result.decidedByTie && result.home > result.away;
    const awayTieBreak = result.decidedByTie && result.away > result.home;
    live = {
      steps: opts.liveSteps,
      homeGoalTimes: goalTimes(result.home, homeTieBreak, liveRng),
      awayGoalTimes: goalTimes(result.away, awayTieBreak, liveRng),
    };
  }

  const { markets, outcomes } = buildMarkets(eventId, sport, home, away, planLines(sport, preMatch[0]!), rng.fork("lines"));
  return {
    eventId,
    tournamentId: tournament.spec.id,
    tournamentIndex: tournament.index,
    sequence: k,
    sport: sport.key,
    home,
    away,
    ...schedule,
    markets,
    outcomes,
    tieRule,
    driftBucketMs: opts.driftBucketMs,
    driftOffsetMs: hashSeed(opts.seed, "drift-offset", eventId) % Math.max(1, Math.floor(opts.driftBucketMs)),
    preMatch,
    result,
    live,
  };
};

export type EventPhase = "pre_match" | "live" | "ended";

export interface ModelAt {
  readonly phase: EventPhase;
  /** Changes exactly when the model changes (for caching). */
  readonly step: number;
  readonly model: ScoreModel;
  /** Score on the board (live), else 0–0. */
  readonly score: Score;
}

const countUpTo = (times: Float64Array | undefined, f: number): number => {
  if (!times) return 0;
  let n = 0;
  for (let i = 0; i < times.length; i++) if (times[i]! <= f && !(times[i] === 1 && f < 1)) n++;
  return n;
};

/** The event's true score model at simulated time `simMs`. */
export const modelAt = (event: EventDef, simMs: number): ModelAt => {
  const preSteps = event.preMatch.length - 1;
  if (simMs < event.scheduledMs) {
    const bucket = Math.min(preSteps, Math.max(0, Math.floor((simMs - event.listedAtMs + event.driftOffsetMs) / event.driftBucketMs)));
    return { phase: "pre_match", step: bucket, model: event.preMatch[bucket]!, score: { home: 0, away: 0 } };
  }
  const kickoff = event.preMatch[preSteps]!;
  if (simMs >= event.endMs) {
    return { phase: "ended", step: preSteps + event.live.steps + 1, model: kickoff, score: event.result };
  }
  const steps = event.live.steps;
  const i = Math.min(steps - 1, Math.floor(((simMs - event.scheduledMs) / (event.endMs - event.scheduledMs)) * steps));
  const f = i / steps;
  const step = preSteps + 1 + i;
  if (i === 0) return { phase: "live", step, model: kickoff, score: { home: 0, away: 0 } };
  if (kickoff.kind === "normal") {
    const margin = event.live.margin![i]!;
    const total = event.live.total![i]!;
    const model: ScoreModel = {
      kind: "normal",
      marginMean: margin + (1 - f) * kickoff.marginMean,
      marginSd: Math.sqrt(1 - f) * kickoff.marginSd,
      totalMean: total + (1 - f) * kickoff.totalMean,
      totalSd: Math.sqrt(1 - f) * kickoff.totalSd,
    };
    const home = Math.max(0, Math.round((total + margin) / 2));
    const away = Math.max(0, Math.round((total - margin) / 2));
    return { phase: "live", step, model, score: { home, away } };
  }
  const home = countUpTo(event.live.homeGoalTimes, f);
  const away = countUpTo(event.live.awayGoalTimes, f);
  return {
    phase: "live",
    step,
    model: { kind: "poisson", homeRate: (1 - f) * kickoff.homeRate, awayRate: (1 - f) * kickoff.awayRate, rho: 0, baseHome: home, baseAway: away },
    score: { home, away },
  };
};
