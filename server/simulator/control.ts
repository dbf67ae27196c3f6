// In-process controls of a running simulator: fault injection, scenario control and the truth
// (true probabilities and results, for tests and benchmarks only). The admin HTTP API maps onto
// these one to one.

import { scheduledIso } from "./serialize";
import type { SimContext } from "./context";
import type { MessageRule, MessageRuleInput } from "./pusher-server";
import type { FailHttpInput } from "./http-faults";
import type { ParlayView, TriggerRfqOptions } from "./parlays";
import type { EventRuntime } from "./world-runtime";
import type { ScoreModel } from "../../lib/simulation/score-model";
import { modelAt } from "../../lib/simulation/world";

export interface SimulatorFaults {
  /** Close WebSocket connections: abruptly by default (pusher-js reconnects in ~1 s), or with `code`. */
  dropSockets(opts?: { code?: number; reason?: string; terminate?: boolean; channelPrefix?: string }): number;
  stopHeartbeats(): void;
  resumeHeartbeats(): void;
  /** Stop answering pusher:ping (pusher-js then drops and reconnects after its pong timeout). */
  ignorePings(ignore: boolean): void;
  /** Drop, delay, duplicate or reorder matching messages; returns the rule id. */
  addMessageRule(rule: MessageRuleInput): string;
  removeMessageRule(id: string): boolean;
  clearMessageRules(): void;
  listMessageRules(): MessageRule[];
  /** Answer the next `count` REST requests (optionally under a path prefix) with an error. */
  failHttp(input: FailHttpInput): void;
  /** Add latency to REST answers (0 = none). */
  setHttpLatency(ms: number, pathPrefix?: string): void;
  /** Expire every access token now (refresh tokens too with `refresh: true`). */
  expireTokens(opts?: { refresh?: boolean }): number;
  /** Clear every fault. */
  reset(): void;
}

export interface SimulatorControl {
  pauseRfqs(): void;
  resumeRfqs(): void;
  setRfqRate(perSecond: number): void;
  setTimeScale(scale: number): void;
  /** Jump simulated time forward by `simMs` and process the consequences now. */
  advanceTime(simMs: number): void;
  simNowMs(): number;
  /** Broadcast an RFQ now (legs chosen or random from supported lines). */
  triggerRfq(opts?: TriggerRfqOptions): { parlayId: string; legs: string[] };
  waitForParlay(parlayId: string, timeoutMs?: number): Promise<ParlayView>;
  parlay(parlayId: string): ParlayView | undefined;
  /** Kick an event off now. */
  startEvent(eventId: number): void;
  /** End an event now and settle it from its (pre-drawn) result. */
  settleEvent(eventId: number): void;
  /** Set an account's available balance (dollars). */
  setBalance(dollars: number, accessKey?: string): void;
  clearSessions(): void;
  /** Listed events with their line ids (convenience for tests and tools). */
  events(): EventSummary[];
  /** Run one simulation step now. */
  tick(): void;
}

export interface EventSummary {
  readonly event_id: number;
  readonly tournament_id: number;
  readonly name: string;
  readonly status: string;
  readonly scheduled: string;
  readonly lines: ReadonlyArray<{ line_id: string; market_id: number; outcome_id: number; line: number | null; name: string }>;
}

export interface LineTruth {
  readonly line_id: string;
  readonly market_id: number;
  readonly market_line_id: number;
  readonly outcome_id: number;
  readonly name: string;
  readonly line: number | null;
  readonly probability: number;
  readonly result: "won" | "lost" | "push" | null;
}

export interface EventTruth {
  readonly event_id: number;
  readonly tournament_id: number;
  readonly sport: string;
  readonly home: string;
  readonly away: string;
  readonly status: string;
  readonly scheduled: string;
  readonly model: ScoreModel;
  readonly kickoff_model: ScoreModel;
  readonly score: { home: number; away: number };
  readonly result: { home: number; away: number };
  readonly lines: readonly LineTruth[];
}

export interface SimulatorTruth {
  lineProbability(lineId: string): number | undefined;
  /** P(all legs win), same-game legs through the score model. */
  jointProbability(lineIds: readonly string[]): number;
  independentProbability(lineIds: readonly string[]): number;
  event(eventId: number): EventTruth | undefined;
  events(): EventTruth[];
  result(eventId: number): { home: number; away: number } | undefined;
}

export const buildFaults = (sim: SimContext): SimulatorFaults => ({
  dropSockets: (opts) => sim.pusher.dropSockets(opts),
  stopHeartbeats: () => {
    sim.heartbeats = false;
  },
  resumeHeartbeats: () => {
    sim.heartbeats = true;
  },
  ignorePings: (ignore) => sim.pusher.setPongs(!ignore),
  addMessageRule: (rule) => sim.pusher.addRule(rule),
  removeMessageRule: (id) => sim.pusher.removeRule(id),
  clearMessageRules: () => sim.pusher.clearRules(),
  listMessageRules: () => sim.pusher.listRules(),
  failHttp: (input) => sim.httpFaults.fail(input),
  setHttpLatency: (ms, prefix) => sim.httpFaults.setLatency(ms, prefix),
  expireTokens: (opts) => sim.accounts.expireAll(opts ?? {}, Date.now()),
  reset: () => {
    sim.heartbeats = true;
    sim.pusher.setPongs(true);
    sim.pusher.clearRules();
    sim.httpFaults.reset();
  },
});

const eventOrThrow = (sim: SimContext, eventId: number): EventRuntime => {
  const ev = sim.world.events.get(eventId);
  if (!ev) throw new RangeError(`event ${eventId} is not listed`);
  return ev;
};

export const buildControl = (sim: SimContext): SimulatorControl => ({
  pauseRfqs: () => {
    sim.parlays.paused = true;
  },
  resumeRfqs: () => {
    sim.parlays.paused = false;
  },
  setRfqRate: (perSecond) => {
    if (!(perSecond >= 0)) throw new RangeError("rate must be ≥ 0");
    sim.parlays.opts.rfqPerSecond = perSecond;
  },
  setTimeScale: (scale) => sim.clock.setTimeScale(scale),
  advanceTime: (simMs) => {
    sim.clock.advance(simMs);
    sim.tick();
  },
  simNowMs: () => sim.clock.simNowMs(),
  triggerRfq: (opts = {}) => {
    const rfq = sim.parlays.createRfq({ ...opts, keep: true });
    if (!rfq) throw new RangeError("no RFQ possible: no supported lines with open events (or too many RFQs in flight)");
    return { parlayId: rfq.parlayId, legs: rfq.legs.map((l) => l.lineId) };
  },
  waitForParlay: (parlayId, timeoutMs = 30_000) => sim.parlays.waitForParlay(parlayId, timeoutMs),
  parlay: (parlayId) => sim.parlays.parlay(parlayId),
  startEvent: (eventId) => {
    eventOrThrow(sim, eventId);
    sim.world.startNow(eventId, sim.clock.simNowMs());
  },
  settleEvent: (eventId) => {
    const ev = eventOrThrow(sim, eventId);
    if (ev.status === "not_started") sim.world.startNow(eventId, sim.clock.simNowMs());
    sim.world.endNow(eventId, sim.clock.simNowMs());
  },
  setBalance: (dollarsValue, accessKey) => {
    const account = accessKey ? sim.accounts.byAccessKey(accessKey) : sim.accounts.all()[0];
    if (!account) throw new RangeError(`no account ${accessKey}`);
    account.balanceCents = Math.round(dollarsValue * 100);
  },
  clearSessions: () => sim.accounts.clearSessions(),
  events: () =>
    sim.world.listedEvents().map((ev) => ({
      event_id: ev.def.eventId,
      tournament_id: ev.def.tournamentId,
      name: `${ev.def.home.name} vs ${ev.def.away.name}`,
      status: ev.status,
      scheduled: scheduledIso(ev),
      lines: ev.def.outcomes.map((o) => ({ line_id: o.lineId, market_id: o.marketId, outcome_id: o.outcomeId, line: o.line, name: o.name })),
    })),
  tick: () => sim.tick(),
});

const eventTruth = (sim: SimContext, ev: EventRuntime): EventTruth => {
  const now = sim.clock.simNowMs();
  const model = modelAt(ev.def, Math.min(now + ev.shiftMs, ev.def.endMs - 1)).model;
  return {
    event_id: ev.def.eventId,
    tournament_id: ev.def.tournamentId,
    sport: ev.def.sport,
    home: ev.def.home.name,
    away: ev.def.away.name,
    status: ev.status,
    scheduled: scheduledIso(ev),
    model,
    kickoff_model: ev.def.preMatch[ev.def.preMatch.length - 1]!,
    score: sim.world.scoreOf(ev, now),
    result: { home: ev.def.result.home, away: ev.def.result.away },
    lines: ev.def.outcomes.map((o) => ({
      line_id: o.lineId,
      market_id: o.marketId,
      market_line_id: o.marketLineId,
      outcome_id: o.outcomeId,
      name: o.name,
      line: o.line,
      probability: ev.marginals[o.bit] ?? 0,
      result: ev.results?.[o.bit] ?? null,
    })),
  };
};

export const buildTruth = (sim: SimContext): SimulatorTruth => ({
  lineProbability: (id) => sim.world.lineProbability(id),
  jointProbability: (ids) => sim.world.jointProbability(ids),
  independentProbability: (ids) => sim.world.independentProbability(ids),
  event: (id) => {
    const ev = sim.world.events.get(id);
    return ev ? eventTruth(sim, ev) : undefined;
  },
  events: () => sim.world.listedEvents().map((ev) => eventTruth(sim, ev)),
  result: (id) => {
    const ev = sim.world.events.get(id);
    return ev ? { home: ev.def.result.home, away: ev.def.result.away } : undefined;
  },
});
