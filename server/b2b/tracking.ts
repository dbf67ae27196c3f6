// "Bet Placed" tracking through an outbox (TrackingEvent rows): the row is written with the play, a
// worker delivers it with exponential backoff up to a bounded number of attempts. Delivery failures
// never touch the play. A row is claimed (attempts bumped with a compare-and-set) before sending, so
// two workers cannot both send it.
import type { Db } from "../db/client.ts";
import { newId } from "../ids.ts";
import type { FetchLike } from "./px-client.ts";

export type TrackingOptions = {
  url: string;
  authorization?: string | null;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
};

export type BetPlacedPayload = { userId: string; name: "Bet Placed"; data: { wager_id: string; bet_placement_location: string } };

export const betPlacedPayload = (userId: string, wagerRefId: string, location: string): BetPlacedPayload => ({
  userId,
  name: "Bet Placed",
  data: { wager_id: wagerRefId, bet_placement_location: location },
});

type TxDb = Pick<Db, "trackingEvent">;

/** Add the event to the outbox (call inside the transaction that marks the play placed). */
export const enqueueTracking = (db: TxDb, playId: string, payload: BetPlacedPayload, now: number) =>
  db.trackingEvent.create({ data: { id: newId("trk"), playId, payloadJson: JSON.stringify(payload), attempts: 0, nextAttemptAt: new Date(now) } });

export const backoffMs = (attempts: number, base = 1000, max = 5 * 60_000): number => Math.min(max, base * 2 ** Math.max(0, attempts - 1));

/** Deliver every due event once; returns how many were delivered and how many failed. */
export const deliverDueTracking = async (db: Db, opts: TrackingOptions): Promise<{ delivered: number; failed: number }> => {
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? 8;
  const fetchFn = opts.fetch ?? fetch;
  const due = await db.trackingEvent.findMany({
    where: { deliveredAt: null, attempts: { lt: maxAttempts }, nextAttemptAt: { lte: new Date(now()) } },
    orderBy: { nextAttemptAt: "asc" },
    take: 50,
  });
  let delivered = 0;
  let failed = 0;
  for (const ev of due) {
    const attempts = ev.attempts + 1;
    // Claim: bump attempts and push nextAttemptAt out by the backoff, only if nobody else did.
    const claim = await db.trackingEvent.updateMany({
      where: { id: ev.id, attempts: ev.attempts, deliveredAt: null },
      data: { attempts, nextAttemptAt: new Date(now() + backoffMs(attempts, opts.baseDelayMs, opts.maxDelayMs)) },
    });
    if (claim.count !== 1) continue;
    const p = JSON.parse(ev.payloadJson) as BetPlacedPayload;
    try {
      const res = await fetchFn(`${opts.url}/api/v1/customers/${encodeURIComponent(p.userId)}/events`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(opts.authorization ? { authorization: opts.authorization } : {}) },
        body: JSON.stringify({ name: p.name, data: p.data }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await db.trackingEvent.update({ where: { id: ev.id }, data: { deliveredAt: new Date(now()), lastError: null } });
      delivered++;
    } catch (err) {
      await db.trackingEvent.update({ where: { id: ev.id }, data: { lastError: String((err as Error)?.message ?? err).slice(0, 500) } });
      failed++;
    }
  }
  return { delivered, failed };
};

/** A background loop (unref'd timer) plus `kick()` to deliver right after a play. */
export const createTrackingWorker = (getDb: () => Db, opts: TrackingOptions & { intervalMs?: number }) => {
  let running: Promise<unknown> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const run = () => {
    if (running) return running;
    running = deliverDueTracking(getDb(), opts)
      .catch((err) => console.error("[tracking] delivery pass failed", err))
      .finally(() => {
        running = null;
      });
    return running;
  };
  return {
    kick: () => void run(),
    runOnce: () => run(),
    start: () => {
      if (timer) return;
      timer = setInterval(() => void run(), opts.intervalMs ?? 5000);
      timer.unref?.();
    },
    stop: () => {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
};
