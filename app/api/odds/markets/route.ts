// GET /api/odds/markets — the odds board (server polls the affiliate API; see docs/b2b-odds-screen.md).
import { lazy } from "../../../../server/b2b/http.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = lazy((app) => app.markets.GET);
