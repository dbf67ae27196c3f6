// GET /api/desk/rfqs/:parlayId – one parlay request with each leg's names, book and probability.
import { route } from "@/server/http/route";
import { AppError } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { getRfq } from "@/server/desk/rfqs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ auth: "viewer" }, async ({ params }) => {
  const rfq = await getRfq(getDb(), params.parlayId ?? "", Date.now());
  if (!rfq) throw new AppError("not_found", "no such parlay request");
  return rfq;
});
