// GET /api/desk/rfqs?limit=&status=a,b&ids=p1,p2 – parlay requests newest first (≤ 10,000), with legs,
// the current offer's tiers, fair odds and order outcome. `ids` fetches just those rows (live patches).
import { z } from "zod";
import { route } from "@/server/http/route";
import { getDb } from "@/server/db/client";
import { listRfqs, RFQ_LIST_MAX } from "@/server/desk/rfqs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ZQuery = z.object({
  limit: z.coerce.number().int().min(1).max(RFQ_LIST_MAX).optional(),
  status: z.string().max(200).optional(),
  ids: z.string().max(20_000).optional(),
});

export const GET = route({ auth: "viewer", query: ZQuery }, async ({ query }) => {
  const ids = query.ids ? query.ids.split(",").filter(Boolean).slice(0, 200) : undefined;
  return listRfqs(getDb(), { limit: query.limit, status: query.status, ids }, Date.now());
});
