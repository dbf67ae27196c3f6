// HTTP-facing logic of POST /api/arbitrage, kept out of the route file so the route stays thin.

import { validateArbInput } from "@/lib/arbitrage/input";
import type { ArbOutput } from "@/lib/arbitrage/types";
import { AppError } from "@/server/http/errors";
import type { RateLimit } from "@/server/http/rate-limit";
import { getSolverPool, PoolBusyError, SolverFailure, type SolverPool } from "./pool";
import { solveArbitrage } from "./solve";

/** Public endpoint: 10 requests per second per IP, bursts of 20 (then 429 with Retry-After). */
export const ARBITRAGE_RATE_LIMIT: RateLimit = { perSecond: 10, burst: 20 };
/** 500 bets of ~200 bytes fit comfortably. */
export const ARBITRAGE_MAX_BODY_BYTES = 512 * 1024;

/**
 * Validates a parsed request body and solves it. Bad input -> AppError("validation_failed") whose
 * details list every problem as { path: "$.bets[2].odds", message }; a full solver queue -> 503.
 */
export const solveArbitrageRequest = async (body: unknown, pool: SolverPool = getSolverPool()): Promise<ArbOutput> => {
  const v = validateArbInput(body ?? {});
  if (!v.ok) {
    const n = v.issues.length;
    throw new AppError("validation_failed", `the request is not valid (${n} problem${n === 1 ? "" : "s"})`, v.issues);
  }
  void pool.warm();
  try {
    return await solveArbitrage(v.problem, { pool });
  } catch (e) {
    if (e instanceof PoolBusyError) throw new AppError("unavailable", e.message, undefined, { "Retry-After": "2" });
    if (e instanceof SolverFailure) throw new AppError("internal_error", e.message);
    throw e;
  }
};
