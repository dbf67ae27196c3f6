// What /api/health and the overview report: database reachability, the engine lease (who holds it,
// how old its heartbeat is) and the exchange connection state the engine last wrote.
import type { Db } from "./db/client.ts";

export const ENGINE_LEASE_NAME = "engine";

export type EngineStatus = {
  connection?: Record<string, string>;
  /** Per product (`{ mm, sp }`) as the engine reports it; a single number from older engines. */
  heartbeatAgeMs?: Record<string, number | null> | number | null;
  quotingPaused?: boolean;
  killSwitch?: boolean;
  [key: string]: unknown;
};

export type Health = {
  ok: boolean;
  checkedAt: string;
  database: { ok: boolean; provider: string; latencyMs: number | null; error?: string };
  engine: {
    leaseHolder: string | null;
    leaseHeartbeatAgeMs: number | null;
    leaseExpired: boolean | null;
    status: EngineStatus | null;
  };
  /** `heartbeatAgeMs` is the oldest heartbeat across the exchange connections (the one that matters). */
  exchange: { connection: Record<string, string> | null; heartbeatAgeMs: number | null; heartbeatAgeMsByProduct: Record<string, number | null> | null };
};

const heartbeatOf = (raw: EngineStatus["heartbeatAgeMs"]): Pick<Health["exchange"], "heartbeatAgeMs" | "heartbeatAgeMsByProduct"> => {
  if (typeof raw === "number") return { heartbeatAgeMs: raw, heartbeatAgeMsByProduct: null };
  if (!raw || typeof raw !== "object") return { heartbeatAgeMs: null, heartbeatAgeMsByProduct: null };
  const ages = Object.values(raw).filter((v): v is number => typeof v === "number");
  return { heartbeatAgeMs: ages.length ? Math.max(...ages) : null, heartbeatAgeMsByProduct: raw };
};

export const readHealth = async (db: Db, provider: string, nowMs: number): Promise<Health> => {
  const started = performance.now();
  let database: Health["database"];
  try {
    await db.$queryRawUnsafe("SELECT 1");
    database = { ok: true, provider, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    database = { ok: false, provider, latencyMs: null, error: (err as Error).message.split("\n")[0] };
  }
  let lease: { holderId: string; heartbeatAt: Date; expiresAt: Date; statusJson: string } | null = null;
  if (database.ok) lease = await db.engineLease.findUnique({ where: { name: ENGINE_LEASE_NAME } });
  let status: EngineStatus | null = null;
  try {
    status = lease ? (JSON.parse(lease.statusJson) as EngineStatus) : null;
  } catch {
    status = null;
  }
  return {
    ok: database.ok,
    checkedAt: new Date(nowMs).toISOString(),
    database,
    engine: {
      leaseHolder: lease?.holderId ?? null,
      leaseHeartbeatAgeMs: lease ? nowMs - lease.heartbeatAt.getTime() : null,
      leaseExpired: lease ? lease.expiresAt.getTime() < nowMs : null,
      status,
    },
    exchange: { connection: status?.connection ?? null, ...heartbeatOf(status?.heartbeatAgeMs) },
  };
};
