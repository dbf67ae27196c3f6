// The DB lease: only the holder of an unexpired EngineLease row trades. Acquire/renew is one
// conditional UPDATE (holder is me, or the lease expired), so two engines can never both win.
import type { Db } from "../db/client.ts";

export const tryAcquireLease = async (db: Db, name: string, holderId: string, ttlMs: number, now = new Date()): Promise<boolean> => {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const renewed = await db.engineLease.updateMany({ where: { name, holderId }, data: { heartbeatAt: now, expiresAt } });
  if (renewed.count === 1) return true;
  const taken = await db.engineLease.updateMany({ where: { name, expiresAt: { lt: now } }, data: { holderId, acquiredAt: now, heartbeatAt: now, expiresAt } });
  if (taken.count === 1) return true;
  try {
    await db.engineLease.create({ data: { name, holderId, acquiredAt: now, heartbeatAt: now, expiresAt } });
    return true;
  } catch {
    return false; // someone else holds it (or created it first)
  }
};

export const releaseLease = async (db: Db, name: string, holderId: string): Promise<void> => {
  await db.engineLease.updateMany({ where: { name, holderId }, data: { expiresAt: new Date(0) } });
};
