import { describe, expect, it } from "vitest";
import { BoundedQueue } from "./queue.ts";
import { applyWagerUpdate, type WagerView } from "./wagers.ts";

type Ev = { id: number; droppable: boolean };
describe("BoundedQueue overflow policy", () => {
  it("drops incoming droppable events when full, evicts droppable for critical ones, rejects beyond hard cap", () => {
    const q = new BoundedQueue<Ev>(2, (e) => e.droppable, 3);
    expect(q.offer({ id: 1, droppable: true })).toBe("accepted");
    expect(q.offer({ id: 2, droppable: false })).toBe("accepted");
    expect(q.offer({ id: 3, droppable: true })).toBe("dropped");
    expect(q.offer({ id: 4, droppable: false })).toBe("evicted_other");
    expect(q.offer({ id: 5, droppable: false })).toBe("accepted"); // over capacity, under hard cap
    expect(q.offer({ id: 6, droppable: false })).toBe("rejected");
    expect(q.counters).toMatchObject({ droppedIncoming: 1, evictedDroppable: 1, rejectedCritical: 1 });
    expect([q.poll()?.id, q.poll()?.id, q.poll()?.id, q.poll()]).toEqual([2, 4, 5, undefined]);
  });

  it("peek shows the next item without taking it, also after the backing array is compacted", () => {
    const q = new BoundedQueue<Ev>(5_000, () => false);
    expect(q.peek()).toBeUndefined();
    for (let id = 1; id <= 3_000; id++) q.offer({ id, droppable: false });
    for (let id = 1; id <= 2_000; id++) {
      expect(q.peek()?.id).toBe(id);
      expect(q.poll()?.id).toBe(id);
    }
    expect([q.peek()?.id, q.depth]).toEqual([2_001, 1_000]);
  });
});

const base = (): WagerView => ({ externalId: "e", wagerId: undefined, lineId: "L", eventId: 1, marketId: 1, odds: 120, stakeCents: 100, status: "pending_send", matchingStatus: "unmatched", winningStatus: "tbd", matchedStakeCents: 0, lastSeq: 0, sentAtMs: 0, activatedAtMs: undefined });
describe("applyWagerUpdate", () => {
  const cases: { name: string; updates: { status: string; seq?: number; matchedStakeCents?: number; matchingStatus?: string }[]; status: string; matched: number; applied: boolean[] }[] = [
    { name: "normal lifecycle", updates: [{ status: "inactive", seq: 1 }, { status: "open", seq: 2 }, { status: "canceled", seq: 3 }], status: "canceled", matched: 0, applied: [true, true, true] },
    { name: "late open after cancel ignored", updates: [{ status: "canceled", seq: 3 }, { status: "open", seq: 2 }], status: "canceled", matched: 0, applied: [true, false] },
    { name: "duplicate ignored", updates: [{ status: "open", seq: 2 }, { status: "open", seq: 2 }], status: "open", matched: 0, applied: [true, false] },
    { name: "matching progress on same status", updates: [{ status: "open", seq: 1 }, { status: "open", seq: 2, matchedStakeCents: 50, matchingStatus: "partially_matched" }], status: "open", matched: 50, applied: [true, true] },
    { name: "backwards status without seq ignored", updates: [{ status: "open" }, { status: "inactive" }], status: "open", matched: 0, applied: [true, false] },
  ];
  for (const c of cases)
    it(c.name, () => {
      const w = base();
      expect(c.updates.map((u) => applyWagerUpdate(w, u, 5))).toEqual(c.applied);
      expect([w.status, w.matchedStakeCents]).toEqual([c.status, c.matched]);
    });
});
