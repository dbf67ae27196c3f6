// Health and controls: the engine lease and the status the engine writes into it, settings (global
// and per sport), recent commands, and the paged audit log.
import type { Db, DbProvider } from "../db/client.ts";
import { ENGINE_LEASE_NAME, readHealth } from "../health.ts";
import type { AuditPage, CommandView, ControlsView, EngineStatusView, OverviewView, SportSettingValue } from "./types.ts";
import { OPEN_WAGER_STATUSES } from "./book.ts";
import { sportSettingKey } from "./settings.ts";
import { clampInt, dayOf, parseJson } from "./util.ts";
import { exposureOf } from "../../lib/risk/exposure.ts";
import { loadOpenOrders } from "./exposure.ts";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const boolOrNull = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
const numRecord = (v: unknown): Record<string, number> | null => {
  if (!isObj(v)) return null;
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "number" && Number.isFinite(x)) out[k] = x;
  return out;
};

/** The REST budget the engine's rate limiter enforces (docs/engine.md: `rateLimitUsage` = requests in the last second / 50). */
export const RATE_LIMIT_PER_SEC = 50;

const nullableNumRecord = (v: unknown): Record<string, number | null> | null => {
  if (!isObj(v)) return null;
  const out: Record<string, number | null> = {};
  for (const [k, x] of Object.entries(v)) if (x === null || (typeof x === "number" && Number.isFinite(x))) out[k] = x as number | null;
  return Object.keys(out).length ? out : null;
};

/** The engine's statusJson, read tolerantly (unknown fields ignored, wrong types → null). */
export const engineStatusOf = (raw: unknown): EngineStatusView => {
  const s = isObj(raw) ? raw : {};
  const conn = isObj(s.connection) ? Object.fromEntries(Object.entries(s.connection).map(([k, v]) => [k, String(v)])) : null;
  const tokenExpiresAt =
    typeof s.tokenExpiresAt === "string" ? s.tokenExpiresAt : typeof s.tokenExpiresAt === "number" ? new Date(s.tokenExpiresAt < 1e12 ? s.tokenExpiresAt * 1000 : s.tokenExpiresAt).toISOString() : null;
  // heartbeatAgeMs: `{ mm, sp }` per product (current engine) or one number (older engines).
  const ages = nullableNumRecord(s.heartbeatAgeMs);
  const ageValues = ages ? Object.values(ages).filter((x): x is number => x != null) : [];
  const heartbeatAgeMs = ages ? (ageValues.length ? Math.max(...ageValues) : null) : numOrNull(s.heartbeatAgeMs);
  // rateLimitUsage: a ratio of the 50 req/s budget (current engine) or per-bucket ratios (older).
  const usageRatio = numOrNull(s.rateLimitUsage);
  const pauseReasons = Array.isArray(s.pauseReasons) ? s.pauseReasons.filter((x): x is string => typeof x === "string") : [];
  return {
    connection: conn,
    heartbeatAgeMs,
    heartbeatAgesMs: ages,
    tokenExpiresAt,
    rateLimitUsage: usageRatio == null ? numRecord(s.rateLimitUsage) : null,
    rateLimitRequestsPerSec: usageRatio == null ? null : Math.round(usageRatio * RATE_LIMIT_PER_SEC * 10) / 10,
    rateLimitPerSec: RATE_LIMIT_PER_SEC,
    quotingPaused: boolOrNull(s.quotingPaused),
    pauseReasons,
    killSwitch: boolOrNull(s.killSwitch),
    queueDepth: numOrNull(s.queueDepth),
    role: typeof s.role === "string" ? s.role : null,
    exposureCents: numOrNull(s.exposureCents),
    realisedPnlCents: numOrNull(s.realisedPnlCents),
    updatedAt: typeof s.updatedAt === "string" ? s.updatedAt : null,
    counters: numRecord(s.counters),
  };
};

export const commandView = (c: { id: string; type: string; payloadJson: string; createdBy: string; createdAt: Date; status: string; processedAt: Date | null; resultJson: string | null }): CommandView => ({
  id: c.id,
  type: c.type,
  payload: parseJson(c.payloadJson, {}),
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
  status: c.status,
  processedAt: c.processedAt?.toISOString() ?? null,
  result: parseJson(c.resultJson, null),
});

export const controlsView = async (db: Db, provider: DbProvider, nowMs: number): Promise<ControlsView> => {
  const [health, lease, settings, sports, commands, openWagers] = await Promise.all([
    readHealth(db, provider, nowMs),
    db.engineLease.findUnique({ where: { name: ENGINE_LEASE_NAME } }),
    db.setting.findMany({ orderBy: { key: "asc" } }),
    db.tournament.findMany({ distinct: ["sportId"], select: { sportId: true, sportName: true }, orderBy: { sportName: "asc" } }),
    db.engineCommand.findMany({ orderBy: { createdAt: "desc" }, take: 20 }),
    db.wager.count({ where: { status: { in: OPEN_WAGER_STATUSES } } }),
  ]);
  const settingByKey = new Map(settings.map((s) => [s.key, s]));
  return {
    checkedAt: health.checkedAt,
    database: { ok: health.database.ok, provider: health.database.provider, latencyMs: health.database.latencyMs },
    lease: lease
      ? {
          holderId: lease.holderId,
          acquiredAt: lease.acquiredAt.toISOString(),
          heartbeatAt: lease.heartbeatAt.toISOString(),
          expiresAt: lease.expiresAt.toISOString(),
          heartbeatAgeMs: nowMs - lease.heartbeatAt.getTime(),
          expired: lease.expiresAt.getTime() < nowMs,
        }
      : null,
    engine: engineStatusOf(parseJson(lease?.statusJson, {})),
    settings: settings.map((s) => ({ key: s.key, value: parseJson(s.valueJson, s.valueJson), updatedAt: s.updatedAt.toISOString(), updatedBy: s.updatedBy })),
    sports: sports.map((sp) => {
      const key = sportSettingKey(sp.sportId);
      const row = settingByKey.get(key);
      const v = row ? parseJson(row.valueJson, null) : null;
      return { sportId: sp.sportId, sportName: sp.sportName, key, value: isObj(v) ? (v as SportSettingValue) : null, updatedAt: row?.updatedAt.toISOString() ?? null, updatedBy: row?.updatedBy ?? null };
    }),
    commands: commands.map(commandView),
    openWagers,
  };
};

export const auditPage = async (db: Db, q: { page?: number; pageSize?: number; actorType?: string; action?: string }): Promise<AuditPage> => {
  const pageSize = clampInt(q.pageSize, 10, 200, 50);
  const page = clampInt(q.page, 1, 1_000_000, 1);
  const where = { ...(q.actorType ? { actorType: q.actorType } : {}), ...(q.action ? { action: { contains: q.action } } : {}) };
  const [rows, total] = await Promise.all([
    db.auditLog.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
    db.auditLog.count({ where }),
  ]);
  return {
    rows: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actorType: r.actorType, actorId: r.actorId, action: r.action, subjectType: r.subjectType, subjectId: r.subjectId, details: parseJson(r.detailsJson, {}) })),
    total,
    page,
    pageSize,
  };
};

export const overviewView = async (db: Db, nowMs: number): Promise<OverviewView> => {
  const startOfDay = new Date(`${dayOf(new Date(nowMs))}T00:00:00.000Z`);
  const [rfqsToday, rfqsTotal, quotedTotal, openOrders, openWagers, pnlToday, pnlTotal, open] = await Promise.all([
    db.parlayRequest.count({ where: { receivedAt: { gte: startOfDay } } }),
    db.parlayRequest.count(),
    db.parlayRequest.count({ where: { status: { notIn: ["received", "declined"] } } }),
    db.parlayOrder.count({ where: { status: { in: ["finalized", "matched"] } } }),
    db.wager.count({ where: { status: { in: OPEN_WAGER_STATUSES } } }),
    db.parlayOrder.aggregate({ _sum: { profitCents: true }, where: { status: "settled", settledAt: { gte: startOfDay } } }),
    db.parlayOrder.aggregate({ _sum: { profitCents: true }, where: { status: "settled" } }),
    loadOpenOrders(db, nowMs),
  ]);
  return {
    rfqsToday,
    rfqsTotal,
    quotedPct: rfqsTotal ? quotedTotal / rfqsTotal : null,
    openOrders,
    openWagers,
    worstCaseCents: exposureOf(open.orders).worstCaseCents,
    pnlTodayCents: pnlToday._sum.profitCents ?? 0,
    pnlTotalCents: pnlTotal._sum.profitCents ?? 0,
  };
};
