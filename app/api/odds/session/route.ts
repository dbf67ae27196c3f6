// GET/POST/DELETE /api/odds/session — the ProphetX user session (tokens stay server-side).
import { lazy } from "../../../../server/b2b/http.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = lazy((app) => app.session.GET);
export const POST = lazy((app) => app.session.POST);
export const DELETE = lazy((app) => app.session.DELETE);
