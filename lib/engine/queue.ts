// The engine's ONE bounded event queue (flumine: producers only enqueue, one loop consumes).
// Overflow policy, explicit and counted:
//  - below `capacity`: every event is accepted;
//  - at `capacity`: a *droppable* event (book/reference deltas, which REST reconciliation repairs) is
//    rejected (`droppedIncoming`); a critical event evicts the oldest droppable event
//    (`evictedDroppable`) or, if none is queued, is still accepted up to `hardCapacity`;
//  - at `hardCapacity`: everything is rejected (`rejectedCritical`); the engine treats any such
//    rejection as loss of state and pauses quoting until reconciled.
export type QueueCounters = { enqueued: number; droppedIncoming: number; evictedDroppable: number; rejectedCritical: number; maxDepth: number };
export type OfferResult = "accepted" | "dropped" | "evicted_other" | "rejected";

export class BoundedQueue<T> {
  readonly counters: QueueCounters = { enqueued: 0, droppedIncoming: 0, evictedDroppable: 0, rejectedCritical: 0, maxDepth: 0 };
  private items: T[] = [];
  private head = 0;
  private waiter: (() => void) | undefined;
  readonly hardCapacity: number;

  constructor(
    readonly capacity: number,
    private readonly isDroppable: (item: T) => boolean,
    hardCapacity?: number,
  ) {
    this.hardCapacity = hardCapacity ?? capacity * 2;
  }

  get depth(): number {
    return this.items.length - this.head;
  }

  offer(item: T): OfferResult {
    let result: OfferResult = "accepted";
    if (this.depth >= this.capacity) {
      if (this.isDroppable(item)) {
        this.counters.droppedIncoming++;
        return "dropped";
      }
      let evicted = false;
      for (let i = this.head; i < this.items.length; i++) {
        if (this.isDroppable(this.items[i]!)) {
          this.items.splice(i, 1);
          this.counters.evictedDroppable++;
          evicted = true;
          result = "evicted_other";
          break;
        }
      }
      if (!evicted && this.depth >= this.hardCapacity) {
        this.counters.rejectedCritical++;
        return "rejected";
      }
    }
    this.items.push(item);
    this.counters.enqueued++;
    if (this.depth > this.counters.maxDepth) this.counters.maxDepth = this.depth;
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
    return result;
  }

  poll(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The next item without taking it. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Resolves when an item is available (or immediately if one is). */
  waitForItem(): Promise<void> {
    if (this.depth > 0) return Promise.resolve();
    return new Promise((r) => (this.waiter = r));
  }

  /** Wakes a waiting consumer without an item (used on stop). */
  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
