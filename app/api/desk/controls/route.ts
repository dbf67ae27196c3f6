// GET /api/desk/controls – engine lease and status, connection, settings, recent commands.
import { route } from "@/server/http/route";
import { currentProvider, getDb } from "@/server/db/client";
import { controlsView } from "@/server/desk/controls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ auth: "viewer" }, () => controlsView(getDb(), currentProvider(), Date.now()));
