// Client-side sliding-window limiter shared by every caller of one client: at most `limit` requests
// start in any `windowMs` window (the exchange allows 50 req/s; we default to 45 for headroom).
export type RateLimiterOptions = { limit?: number; windowMs?: number; now?: () => number };

export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  waitedCount = 0;

  constructor(opts: RateLimiterOptions = {}) {
    this.limit = opts.limit ?? 45;
    this.windowMs = opts.windowMs ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  private prune(t: number): void {
    while (this.starts.length > 0 && this.starts[0]! <= t - this.windowMs) this.starts.shift();
  }

  /** Requests started in the last window. */
  usage(): number {
    this.prune(this.now());
    return this.starts.length;
  }

  /** Resolves when a request may start; callers are served in FIFO order. */
  acquire(): Promise<void> {
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
    return next;
  }
}
