// The TE API's error: HTTP status + {"status":"error","message":...} (+ optional extra fields such as
// the new price when a quote moved).

export class TeFailure extends Error {
  readonly status: number;
  readonly extra?: Record<string, unknown>;

  constructor(message: string, status = 400, extra?: Record<string, unknown>) {
    super(message);
    this.name = "TeFailure";
    this.status = status;
    this.extra = extra;
  }
}

export type TeClock = { nowMs(): number };

export const systemClock: TeClock = { nowMs: () => Date.now() };
