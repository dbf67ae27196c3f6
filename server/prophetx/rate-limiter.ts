// Client-side sliding-window limiter shared by every caller of one client: at most `limit` requests
// start in any `windowMs` window (the exchange allows 50 req/s; we default to 45 for headroom).
export type RateLimiterOptions = { limit?: number; windowMs?: number; now?: () => number; maxQueue?: number };

/** Thrown instead of queueing when the wait is longer than the caller can use, or the queue is full. */
export class RateLimitQueueFull extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RateLimitQueueFull";
  }
}

export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private readonly maxQueue: number;
  waitedCount = 0;
  refusedCount = 0;

  constructor(opts: RateLimiterOptions = {}) {
    this.limit = opts.limit ?? 45;
    this.windowMs = opts.windowMs ?? 1000;
    this.now = opts.now ?? Date.now;
    this.maxQueue = opts.maxQueue ?? 500;
  }

  private prune(t: number): void {
    while (this.starts.length > 0 && this.starts[0]! <= t - this.windowMs) this.starts.shift();
  }

  /** Requests started in the last window. */
  usage(): number {
    this.prune(this.now());
    return this.starts.length;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting;
  }

  /** Takes a slot at once when one is free and nobody waits (no promise, no microtask); else false. */
  tryAcquire(): boolean {
    if (this.waiting > 0) return false;
    const t = this.now();
    this.prune(t);
    if (this.starts.length >= this.limit) return false;
    this.starts.push(t);
    return true;
  }

  /**
   * Resolves when a request may start; callers are served in FIFO order. The queue is bounded: it
   * refuses at once (RateLimitQueueFull) when `maxQueue` callers already wait, or when more callers
   * wait than the limit admits within `maxWaitMs` (an offer that would leave after its window is
   * worthless, so it is better not sent than sent late).
   */
  acquire(maxWaitMs?: number): Promise<void> {
    const aheadCapacity = maxWaitMs === undefined ? Infinity : Math.floor((this.limit * maxWaitMs) / this.windowMs);
    if (this.waiting >= this.maxQueue || this.waiting + this.usage() >= this.limit + aheadCapacity) {
      this.refusedCount++;
      return Promise.reject(new RateLimitQueueFull(`rate limit: ${this.waiting} requests already waiting`));
    }
    this.waiting++;
    const next = this.chain.then(async () => {
      for (;;) {
        const t = this.now();
        this.prune(t);
        if (this.starts.length < this.limit) {
          this.starts.push(t);
          return;
        }
        this.waitedCount++;
        const waitMs = Math.max(1, this.starts[0]! + this.windowMs - t);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    });
    this.chain = next.catch(() => undefined);
    return next.finally(() => this.waiting--);
  }
}
