// Injected REST failures: bursts of error responses (429/500/503…) and added latency, optionally
// limited to a path prefix. Admin paths (/__sim) are never affected.

import { ApiError } from "./http";

const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "err_wager_placement_disabled",
  404: "data_not_found",
  409: "wager_is_placing",
  425: "wager_opened_retry",
  429: "rate_limit_reached",
  500: "internal_error",
  503: "reporting_not_available",
};

interface Burst {
  readonly status: number;
  readonly code: string;
  readonly pathPrefix: string | undefined;
  remaining: number;
}

export interface FailHttpInput {
  readonly status: number;
  readonly count: number;
  readonly code?: string;
  readonly pathPrefix?: string;
}

export class HttpFaults {
  private bursts: Burst[] = [];
  private latency: { ms: number; pathPrefix: string | undefined } | undefined;
  injected = 0;

  fail(input: FailHttpInput): void {
    if (!Number.isInteger(input.status) || input.status < 400 || input.status > 599) throw new RangeError("status must be 4xx or 5xx");
    if (!(input.count > 0)) throw new RangeError("count must be positive");
    this.bursts.push({
      status: input.status,
      code: input.code ?? DEFAULT_CODES[input.status] ?? "internal_error",
      pathPrefix: input.pathPrefix,
      remaining: input.count,
    });
  }

  setLatency(ms: number, pathPrefix?: string): void {
    this.latency = ms > 0 ? { ms, pathPrefix } : undefined;
  }

  latencyFor(path: string): number {
    const l = this.latency;
    return l && (!l.pathPrefix || path.startsWith(l.pathPrefix)) ? l.ms : 0;
  }

  /** The injected failure for this request, if any (consumes one from the burst). */
  take(path: string): ApiError | undefined {
    if (this.bursts.length === 0) return undefined;
    const i = this.bursts.findIndex((b) => !b.pathPrefix || path.startsWith(b.pathPrefix));
    if (i < 0) return undefined;
    const b = this.bursts[i]!;
    b.remaining--;
    if (b.remaining <= 0) this.bursts.splice(i, 1);
    this.injected++;
    return new ApiError(b.status, b.code, `injected fault (${b.status} ${b.code})`);
  }

  reset(): void {
    this.bursts = [];
    this.latency = undefined;
  }
}
