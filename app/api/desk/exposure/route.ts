// GET /api/desk/exposure?whatIf=<parlayId> – worst-case loss by event/line/team/counterparty with
// limits, realised P&L over time, and optionally the what-if of one pending quote filling.
import { z } from "zod";
import { route } from "@/server/http/route";
import { getDb } from "@/server/db/client";
import { exposureView } from "@/server/desk/exposure";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ZQuery = z.object({ whatIf: z.string().min(1).max(200).optional() });

export const GET = route({ auth: "viewer", query: ZQuery }, ({ query }) => exposureView(getDb(), Date.now(), query.whatIf));
