// POST /api/odds/geo/license — one-time GeoComply license + user id for a browser SDK provider.
import { lazy } from "../../../../../server/b2b/http.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = lazy((app) => app.geoLicense.POST);
