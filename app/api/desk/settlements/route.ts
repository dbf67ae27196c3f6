// GET /api/desk/settlements – finalized, settled and failed orders (newest first) and realised P&L by day and sport.
import { z } from "zod";
import { route } from "@/server/http/route";
import { getDb } from "@/server/db/client";
import { settlementsView } from "@/server/desk/settlements";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ZQuery = z.object({ limit: z.coerce.number().int().min(1).max(2_000).optional() });

export const GET = route({ auth: "viewer", query: ZQuery }, ({ query }) => settlementsView(getDb(), query.limit));
