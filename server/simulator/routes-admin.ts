// Admin API under /__sim (header `x-sim-admin-key`), mapping onto the in-process faults, control
// and truth. GET /__sim/health needs no key (for process supervisors and Playwright).

import type { SimContext } from "./context";
import type { SimulatorControl, SimulatorFaults, SimulatorTruth } from "./control";
import { ApiError, type Handler, type RequestContext, type Route } from "./http";
import type { MessageAction } from "./pusher-server";
import type { BettorScript, RivalScript } from "./parlays";

export const ADMIN_KEY_HEADER = "x-sim-admin-key";

const num = (v: unknown, name: string): number => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) throw new ApiError(400, "invalid_param", `${name} must be a number`);
  return n;
};

const optNum = (v: unknown, name: string): number | undefined => (v === undefined || v === null ? undefined : num(v, name));
const optStr = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A scripted rival offer from JSON: { id?, odds, max_risk (dollars), accept?, delay_ms? }. */
const rivalScript = (raw: unknown): RivalScript => {
  const r = (raw ?? {}) as Record<string, unknown>;
  return {
    id: optStr(r.id),
    odds: num(r.odds, "odds"),
    maxRisk: num(r.max_risk ?? r.maxRisk, "max_risk"),
    accept: r.accept === undefined ? undefined : r.accept !== false,
    delayMs: optNum(r.delay_ms ?? r.delayMs, "delay_ms"),
  };
};

const wrap = (fn: (ctx: RequestContext) => unknown | Promise<unknown>): Handler => async (ctx) => {
  try {
    return { body: { data: await fn(ctx) } };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof RangeError || err instanceof TypeError) throw new ApiError(400, "invalid_param", err.message);
    throw err;
  }
};

export interface AdminDeps {
  readonly sim: SimContext;
  readonly faults: SimulatorFaults;
  readonly control: SimulatorControl;
  readonly truth: SimulatorTruth;
  readonly stats: () => unknown;
}

export const adminRoutes = ({ sim, faults, control, truth, stats }: AdminDeps): Route[] => {
  const post = (path: string, fn: (body: Record<string, unknown>, ctx: RequestContext) => unknown): Route => ({
    method: "POST",
    path,
    auth: false,
    handler: wrap(async (ctx) => fn(await ctx.body(), ctx)),
  });
  const get = (path: string, fn: (ctx: RequestContext) => unknown, prefix = false): Route => ({ method: "GET", path, prefix, auth: false, handler: wrap(fn) });

  return [
    get("/__sim/state", () => stats()),
    get("/__sim/events", () => control.events()),
    get("/__sim/truth", (ctx) => {
      const id = ctx.query.get("event_id");
      if (id === null) return truth.events();
      const t = truth.event(Number(id));
      if (!t) throw new ApiError(404, "sport_event_not_found", `event ${id} not listed`);
      return t;
    }),
    get("/__sim/truth/lines", (ctx) => {
      const ids = (ctx.query.get("line_ids") ?? "").split(",").filter(Boolean);
      return Object.fromEntries(ids.map((id) => [id, truth.lineProbability(id) ?? null]));
    }),
    post("/__sim/truth/parlay", (body) => {
      const ids = body.line_ids;
      if (!Array.isArray(ids) || ids.some((x) => typeof x !== "string")) throw new ApiError(400, "invalid_param", "line_ids must be an array");
      return { joint_probability: truth.jointProbability(ids as string[]), independent_probability: truth.independentProbability(ids as string[]) };
    }),
    get("/__sim/parlays", (ctx) => {
      const view = control.parlay(ctx.param);
      if (!view) throw new ApiError(404, "data_not_found", `parlay ${ctx.param} not known (or expired)`);
      return view;
    }, true),
    post("/__sim/faults/drop-sockets", (b) => ({
      dropped: faults.dropSockets({
        code: optNum(b.code, "code"),
        reason: optStr(b.reason),
        terminate: b.terminate === undefined ? undefined : b.terminate === true,
        channelPrefix: optStr(b.channel_prefix),
      }),
    })),
    post("/__sim/faults/heartbeats", (b) => {
      if (b.enabled === false) faults.stopHeartbeats();
      else faults.resumeHeartbeats();
      return { enabled: b.enabled !== false };
    }),
    post("/__sim/faults/pongs", (b) => {
      faults.ignorePings(b.enabled === false);
      return { enabled: b.enabled !== false };
    }),
    post("/__sim/faults/messages", (b) => {
      const count = b.count === "infinity" || b.count === null ? Number.POSITIVE_INFINITY : optNum(b.count, "count");
      return {
        id: faults.addMessageRule({
          event: optStr(b.event),
          changeType: optStr(b.change_type),
          channel: optStr(b.channel),
          action: String(b.action) as MessageAction,
          count,
          delayMs: optNum(b.delay_ms, "delay_ms"),
          probability: optNum(b.probability, "probability"),
        }),
      };
    }),
    { method: "DELETE", path: "/__sim/faults/messages", auth: false, handler: wrap(() => (faults.clearMessageRules(), { cleared: true })) },
    { method: "DELETE", path: "/__sim/faults/messages", prefix: true, auth: false, handler: wrap((ctx) => ({ removed: faults.removeMessageRule(ctx.param) })) },
    get("/__sim/faults/messages", () => faults.listMessageRules()),
    post("/__sim/faults/http", (b) => {
      faults.failHttp({ status: num(b.status, "status"), count: optNum(b.count, "count") ?? 1, code: optStr(b.code), pathPrefix: optStr(b.path_prefix) });
      return { ok: true };
    }),
    post("/__sim/faults/latency", (b) => {
      faults.setHttpLatency(num(b.ms, "ms"), optStr(b.path_prefix));
      return { ok: true };
    }),
    post("/__sim/faults/expire-tokens", (b) => ({ expired: faults.expireTokens({ refresh: b.refresh === true }) })),
    post("/__sim/faults/reset", () => (faults.reset(), { ok: true })),
    post("/__sim/control/rfq", (b) => {
      const rivals = b.rivals;
      return control.triggerRfq({
        legs: Array.isArray(b.legs) ? (b.legs as string[]) : undefined,
        legCount: optNum(b.leg_count, "leg_count"),
        stake: optNum(b.stake, "stake"),
        creatorId: optStr(b.creator_id),
        sharp: typeof b.sharp === "boolean" ? b.sharp : undefined,
        rivals: rivals === "none" || rivals === "auto" ? rivals : Array.isArray(rivals) ? rivals.map(rivalScript) : undefined,
        bettor: (b.bettor as BettorScript | undefined) ?? undefined,
        offerWindowMs: optNum(b.offer_window_ms, "offer_window_ms"),
      });
    }),
    post("/__sim/control/rfqs", (b) => {
      if (b.paused === true) control.pauseRfqs();
      if (b.paused === false) control.resumeRfqs();
      const rate = optNum(b.per_second, "per_second");
      if (rate !== undefined) control.setRfqRate(rate);
      return { paused: sim.parlays.paused, per_second: sim.parlays.opts.rfqPerSecond };
    }),
    post("/__sim/control/time", (b) => {
      const scale = optNum(b.time_scale, "time_scale");
      if (scale !== undefined) control.setTimeScale(scale);
      const advance = optNum(b.advance_ms, "advance_ms");
      if (advance !== undefined) control.advanceTime(advance);
      return { sim_now_ms: control.simNowMs(), time_scale: sim.clock.timeScale };
    }),
    post("/__sim/control/start-event", (b) => {
      control.startEvent(num(b.event_id, "event_id"));
      return truth.event(num(b.event_id, "event_id")) ?? null;
    }),
    post("/__sim/control/settle-event", (b) => {
      control.settleEvent(num(b.event_id, "event_id"));
      return truth.event(num(b.event_id, "event_id")) ?? null;
    }),
    post("/__sim/control/balance", (b) => {
      control.setBalance(num(b.balance, "balance"), optStr(b.access_key));
      return { ok: true };
    }),
    post("/__sim/control/clear-sessions", () => (control.clearSessions(), { ok: true })),
    post("/__sim/control/tick", () => (control.tick(), { ok: true })),
  ];
};
