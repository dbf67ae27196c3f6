// GET/POST /api/odds/plays — recent plays of this session / place a play.
import { lazy } from "../../../../server/b2b/http.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = lazy((app) => app.plays.GET);
export const POST = lazy((app) => app.plays.POST);
