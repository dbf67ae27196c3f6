// What /api/health and the overview report: database reachability, the engine lease (who holds it,
// how old its heartbeat is) and the exchange connection state the engine last wrote.
import type { Db } from "./db/client.ts";

export const ENGINE_LEASE_NAME = "engine";

export type EngineStatus = {
  connection?: Record<string, string>;
  heartbeatAgeMs?: number | null;
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
  exchange: { connection: Record<string, string> | null; heartbeatAgeMs: number | null };
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
    exchange: { connection: status?.connection ?? null, heartbeatAgeMs: typeof status?.heartbeatAgeMs === "number" ? status.heartbeatAgeMs : null },
  };
};
