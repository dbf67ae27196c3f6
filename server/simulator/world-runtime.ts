// The living world: which events are listed, live or ended at the current simulated time, each
// market line's order book, and the hidden truth (true probabilities from the event's score model
// at that moment). Listeners (broadcaster, wagers, parlays, market activity) react to transitions.

import { LineBook } from "../../lib/simulation/book";
import {
  buildWinTable,
  jointWinProbability,
  marginalWinProbabilities,
  settleOutcome,
  type LegResult,
  type WinTable,
} from "../../lib/simulation/outcomes";
import { buildScoreGrid } from "../../lib/simulation/score-model";
import {
  buildTournaments,
  generateEvent,
  modelAt,
  scheduleOf,
  type EventDef,
  type EventPhase,
  type MarketLineDef,
  type OutcomeDef,
  type WorldOptions,
  type WorldTournament,
} from "../../lib/simulation/world";
import { nowNs } from "./wire";

export type EventStatus = "not_started" | "live" | "ended";

export interface LineRuntime {
  readonly def: MarketLineDef;
  readonly event: EventRuntime;
  readonly book: LineBook;
  /** market_selections sequence: +1 per message of this market line. */
  sequence: number;
  /** Liquidity providers' persistent pricing error per outcome (log-odds). */
  lpNoise: number[];
  nextRequoteWallMs: number;
  status: "active" | "settled";
  /** Resting orders owned by accounts (not liquidity providers). */
  accountOrders: number;
  updatedNs: bigint;
}

export interface EventRuntime {
  readonly def: EventDef;
  status: EventStatus;
  /** Event-local time = simulated time + shift (moved by "start now"). */
  shiftMs: number;
  forcedEnd: boolean;
  readonly lines: readonly LineRuntime[];
  table: WinTable;
  marginals: number[];
  tableStep: number;
  phase: EventPhase;
  updatedNs: bigint;
  unlistAtSimMs: number;
  /** Per outcome bit, once ended. */
  results: LegResult[] | undefined;
}

export interface LineRef {
  readonly event: EventRuntime;
  readonly line: LineRuntime;
  readonly outcomeIndex: number;
  readonly outcome: OutcomeDef;
}

export interface WorldListener {
  onListed?(ev: EventRuntime): void;
  onLive?(ev: EventRuntime): void;
  onEnded?(ev: EventRuntime): void;
  onUnlisted?(ev: EventRuntime): void;
  onTruthChanged?(ev: EventRuntime): void;
}

export class WorldRuntime {
  readonly tournaments: WorldTournament[];
  readonly events = new Map<number, EventRuntime>();
  private readonly lineIndex = new Map<string, LineRef>();
  private readonly nextK: number[];
  private readonly listeners: WorldListener[] = [];

  constructor(
    readonly opts: WorldOptions,
    private readonly retentionSimMs: number,
    private readonly initialSeq: () => number,
  ) {
    this.tournaments = buildTournaments(opts);
    this.nextK = this.tournaments.map(() => 0);
  }

  addListener(l: WorldListener): void {
    this.listeners.push(l);
  }

  private emit(kind: keyof WorldListener, ev: EventRuntime): void {
    for (const l of this.listeners) l[kind]?.(ev);
  }

  /** Events currently listed, ordered by scheduled time. */
  listedEvents(): EventRuntime[] {
    return [...this.events.values()].sort((a, b) => a.def.scheduledMs - b.def.scheduledMs || a.def.eventId - b.def.eventId);
  }

  eventsOfTournament(tournamentId: number): EventRuntime[] {
    return this.listedEvents().filter((e) => e.def.tournamentId === tournamentId);
  }

  line(lineId: string): LineRef | undefined {
    return this.lineIndex.get(lineId);
  }

  allLineIds(): string[] {
    return [...this.lineIndex.keys()];
  }

  private create(tournament: WorldTournament, k: number, simNow: number): EventRuntime | undefined {
    const def = generateEvent(this.opts, tournament, k);
    if (def.endMs + this.retentionSimMs <= simNow) return undefined;
    const lines: LineRuntime[] = [];
    const ev: EventRuntime = {
      def,
      status: "not_started",
      shiftMs: 0,
      forcedEnd: false,
      lines,
      table: { outcomeCount: 0, masks: new Uint32Array(0), probs: new Float64Array(0) },
      marginals: [],
      tableStep: -1,
      phase: "pre_match",
      updatedNs: nowNs(),
      unlistAtSimMs: def.endMs + this.retentionSimMs,
      results: undefined,
    };
    for (const market of def.markets) {
      for (const lineDef of market.lines) {
        const line: LineRuntime = {
          def: lineDef,
          event: ev,
          book: new LineBook(lineDef.outcomes.length),
          sequence: this.initialSeq(),
          lpNoise: lineDef.outcomes.map(() => 0),
          nextRequoteWallMs: 0,
          status: "active",
          accountOrders: 0,
          updatedNs: nowNs(),
        };
        lines.push(line);
        lineDef.outcomes.forEach((outcome, outcomeIndex) => this.lineIndex.set(outcome.lineId, { event: ev, line, outcomeIndex, outcome }));
      }
    }
    this.events.set(def.eventId, ev);
    this.refreshTruth(ev, simNow, false);
    return ev;
  }

  /** Bring the world to simulated time `simNow`: list, start, end and unlist events. */
  advance(simNow: number): void {
    for (const t of this.tournaments) {
      for (let guard = 0; guard < 10_000; guard++) {
        const k = this.nextK[t.index]!;
        if (scheduleOf(this.opts, t, k).listedAtMs > simNow) break;
        this.nextK[t.index] = k + 1;
        const ev = this.create(t, k, simNow);
        if (ev) this.emit("onListed", ev);
      }
    }
    for (const ev of [...this.events.values()]) this.step(ev, simNow);
  }

  private step(ev: EventRuntime, simNow: number): void {
    const local = simNow + ev.shiftMs;
    if (ev.status === "not_started" && (local >= ev.def.scheduledMs || ev.forcedEnd)) {
      ev.status = "live";
      ev.updatedNs = nowNs();
      this.refreshTruth(ev, simNow);
      this.emit("onLive", ev);
    }
    if (ev.status === "live" && (local >= ev.def.endMs || ev.forcedEnd)) {
      ev.status = "ended";
      ev.updatedNs = nowNs();
      ev.results = ev.def.outcomes.map((o) => settleOutcome(o.spec, ev.def.result));
      ev.unlistAtSimMs = Math.min(ev.unlistAtSimMs, simNow + this.retentionSimMs);
      for (const line of ev.lines) line.status = "settled";
      this.refreshTruth(ev, simNow);
      this.emit("onEnded", ev);
    }
    if (ev.status === "ended" && simNow >= ev.unlistAtSimMs) {
      this.events.delete(ev.def.eventId);
      for (const o of ev.def.outcomes) this.lineIndex.delete(o.lineId);
      this.emit("onUnlisted", ev);
      return;
    }
    if (ev.status !== "ended") this.refreshTruth(ev, simNow);
  }

  /** Recompute the event's truth if its model changed since the last computation. */
  refreshTruth(ev: EventRuntime, simNow: number, notify = true): boolean {
    if (ev.status === "ended") {
      if (ev.phase === "ended") return false;
      const results = ev.results ?? ev.def.outcomes.map((o) => settleOutcome(o.spec, ev.def.result));
      let mask = 0;
      results.forEach((r, bit) => {
        if (r === "won") mask |= 1 << bit;
      });
      ev.table = { outcomeCount: results.length, masks: Uint32Array.of(mask >>> 0), probs: Float64Array.of(1) };
      ev.marginals = results.map((r) => (r === "won" ? 1 : 0));
      ev.phase = "ended";
      ev.tableStep = Number.MAX_SAFE_INTEGER;
      if (notify) this.emit("onTruthChanged", ev);
      return true;
    }
    const at = modelAt(ev.def, Math.min(simNow + ev.shiftMs, ev.def.endMs - 1));
    if (at.step === ev.tableStep) return false;
    const grid = buildScoreGrid(at.model, ev.def.tieRule);
    ev.table = buildWinTable(grid, ev.def.outcomes.map((o) => o.spec));
    ev.marginals = marginalWinProbabilities(ev.table);
    ev.tableStep = at.step;
    ev.phase = at.phase;
    if (notify) this.emit("onTruthChanged", ev);
    return true;
  }

  /** Live score shown for an event (0–0 before kick-off, the result once ended). */
  scoreOf(ev: EventRuntime, simNow: number): { home: number; away: number } {
    if (ev.status === "ended") return { home: ev.def.result.home, away: ev.def.result.away };
    if (ev.status === "not_started") return { home: 0, away: 0 };
    return modelAt(ev.def, Math.min(simNow + ev.shiftMs, ev.def.endMs - 1)).score;
  }

  lineProbability(lineId: string): number | undefined {
    const ref = this.lineIndex.get(lineId);
    return ref ? ref.event.marginals[ref.outcome.bit] : undefined;
  }

  /** True probability that all legs win (same-game legs through the score model). */
  jointProbability(lineIds: readonly string[]): number {
    const masks = new Map<EventRuntime, number>();
    for (const id of lineIds) {
      const ref = this.lineIndex.get(id);
      if (!ref) return Number.NaN;
      masks.set(ref.event, ((masks.get(ref.event) ?? 0) | (1 << ref.outcome.bit)) >>> 0);
    }
    let p = 1;
    for (const [ev, mask] of masks) p *= jointWinProbability(ev.table, mask);
    return p;
  }

  /** Product of the legs' marginal probabilities (what a correlation-blind pricer uses). */
  independentProbability(lineIds: readonly string[]): number {
    let p = 1;
    for (const id of lineIds) {
      const q = this.lineProbability(id);
      if (q === undefined) return Number.NaN;
      p *= q;
    }
    return p;
  }

  /** A leg's settlement: its result once the event ended, else "pending". */
  legResult(ev: EventRuntime, bit: number): LegResult | "pending" {
    return ev.results?.[bit] ?? "pending";
  }

  /** Move an event's clock so that it kicks off now. */
  startNow(eventId: number, simNow: number): EventRuntime | undefined {
    const ev = this.events.get(eventId);
    if (!ev) return undefined;
    if (ev.status === "not_started") {
      ev.shiftMs = Math.max(0, ev.def.scheduledMs - simNow);
      this.step(ev, simNow);
    }
    return ev;
  }

  /** End an event now and settle it with its (pre-drawn) result. */
  endNow(eventId: number, simNow: number): EventRuntime | undefined {
    const ev = this.events.get(eventId);
    if (!ev) return undefined;
    if (ev.status !== "ended") {
      ev.forcedEnd = true;
      this.step(ev, simNow);
    }
    return ev;
  }
}
