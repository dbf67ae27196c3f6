// POST /api/odds/geo — run the geolocation check for the logged-in ProphetX user.
import { lazy } from "../../../../server/b2b/http.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = lazy((app) => app.geoCheck.POST);
