// POST /api/arbitrage: WinWise-format arbitrage request -> wagers, profit range and a `solution`
// block (docs/arbitrage-api.md). Public, rate-limited per IP; solving runs in worker threads.
import { z } from "zod";
import { ARBITRAGE_MAX_BODY_BYTES, ARBITRAGE_RATE_LIMIT, solveArbitrageRequest } from "@/server/arbitrage/http";
import { route } from "@/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(
  { auth: "public", body: z.unknown(), rateLimit: ARBITRAGE_RATE_LIMIT, maxBodyBytes: ARBITRAGE_MAX_BODY_BYTES },
  ({ body }) => solveArbitrageRequest(body),
);
