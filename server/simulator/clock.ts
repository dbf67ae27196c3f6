// Two clocks: wall time (protocol timings, tokens, timestamps on the wire) and simulated time (the
// game schedule), which runs `timeScale` times faster than wall time and can be jumped forward.

export class SimClock {
  private anchorWallMs: number;
  private anchorSimMs: number;
  private scale: number;

  constructor(startSimMs: number, timeScale = 1) {
    if (!(timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
    this.anchorWallMs = Date.now();
    this.anchorSimMs = startSimMs;
    this.scale = timeScale;
  }

  wallNowMs(): number {
    return Date.now();
  }

  simNowMs(): number {
    return this.anchorSimMs + (Date.now() - this.anchorWallMs) * this.scale;
  }

  get timeScale(): number {
    return this.scale;
  }

  setTimeScale(scale: number): void {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`timeScale must be a positive number, got ${scale}`);
    this.anchorSimMs = this.simNowMs();
    this.anchorWallMs = Date.now();
    this.scale = scale;
  }

  /** Jump simulated time forward. */
  advance(simMs: number): void {
    if (!(simMs >= 0)) throw new RangeError(`advance needs a non-negative duration, got ${simMs}`);
    this.anchorSimMs += simMs;
  }
}
