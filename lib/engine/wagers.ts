// Wager lifecycle (exchange statuses, reference §2.4) as a pure reducer with out-of-order protection.
export type WagerStatus = "pending_send" | "inactive" | "open" | "canceled" | "invalid" | "void" | "wiped" | "settled" | "closed" | "manually_settled" | "rejected";
export type WagerView = {
  externalId: string;
  wagerId: string | undefined;
  lineId: string;
  eventId: number;
  marketId: number;
  odds: number;
  stakeCents: number;
  status: WagerStatus;
  matchingStatus: string;
  winningStatus: string;
  matchedStakeCents: number;
  lastSeq: number;
  sentAtMs: number | undefined;
  activatedAtMs: number | undefined;
};
export type WagerUpdate = { status: string; matchingStatus?: string | null | undefined; winningStatus?: string | null | undefined; matchedStakeCents?: number | undefined; wagerId?: string | undefined; seq?: number | undefined };

const RANK: Record<string, number> = { pending_send: 0, inactive: 1, open: 2, canceled: 3, invalid: 3, void: 3, wiped: 3, rejected: 3, manually_settled: 3, settled: 3, closed: 4 };
export const TERMINAL: ReadonlySet<string> = new Set(["canceled", "invalid", "void", "wiped", "rejected", "closed", "manually_settled", "settled"]);
/** Statuses that can still be matched (so must be cancelled by a kill switch). */
export const isOpen = (s: string): boolean => s === "pending_send" || s === "inactive" || s === "open";
export const isActivated = (s: string): boolean => s !== "pending_send" && s !== "inactive";

/**
 * Applies an update. Ignored (returns false) when its sequence number is older than the last applied
 * one, or when it would move the status backwards (e.g. a late `open` after `canceled`); matching
 * progress on the same status is applied when the matched stake grows.
 */
export const applyWagerUpdate = (w: WagerView, u: WagerUpdate, nowMs: number): boolean => {
  if (u.seq !== undefined && u.seq !== 0 && w.lastSeq !== 0 && u.seq <= w.lastSeq) return false;
  const next = u.status as WagerStatus;
  const forward = (RANK[next] ?? 0) > (RANK[w.status] ?? 0);
  const same = next === w.status;
  const moreMatched = (u.matchedStakeCents ?? 0) > w.matchedStakeCents;
  const matchingChanged = !!u.matchingStatus && u.matchingStatus !== w.matchingStatus;
  if (!forward && !moreMatched && !(same && matchingChanged)) {
    if (u.wagerId && !w.wagerId) w.wagerId = u.wagerId;
    return false;
  }
  if (forward) w.status = next;
  if (u.matchingStatus && (forward || same || moreMatched)) w.matchingStatus = u.matchingStatus;
  if (u.winningStatus) w.winningStatus = u.winningStatus;
  if (moreMatched) w.matchedStakeCents = u.matchedStakeCents!;
  if (u.wagerId && !w.wagerId) w.wagerId = u.wagerId;
  if (u.seq) w.lastSeq = u.seq;
  if (isActivated(w.status) && w.activatedAtMs === undefined) w.activatedAtMs = nowMs;
  return true;
};
