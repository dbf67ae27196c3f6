// One armed setTimeout for many deadlines (offer windows, confirmation deadlines, activations), so
// thousands of in-flight RFQs cost one timer. Entries run in due order; cancel is O(1) (lazy).

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export interface TimerHandle {
  cancel(): void;
}

export class TimerQueue {
  private heap: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  get size(): number {
    return this.heap.length;
  }

  /** Run `fn` after `delayMs` of wall time. */
  after(delayMs: number, fn: () => void): TimerHandle {
    const entry: Entry = { at: Date.now() + Math.max(0, delayMs), seq: ++this.seq, fn, cancelled: false };
    if (this.closed) return { cancel() {} };
    this.push(entry);
    this.arm();
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap = [];
  }

  private arm(): void {
    const top = this.heap[0];
    if (!top || this.closed) return;
    if (this.timer && top.at >= this.armedAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = top.at;
    this.timer = setTimeout(() => this.run(), Math.max(0, top.at - Date.now()));
    this.timer.unref?.();
  }

  private run(): void {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let budget = 10_000;
    while (this.heap.length > 0 && this.heap[0]!.at <= now && budget-- > 0) {
      const e = this.pop()!;
      if (e.cancelled) continue;
      try {
        e.fn();
      } catch (err) {
        this.onError(err);
      }
      if (this.closed) return;
    }
    this.arm();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
