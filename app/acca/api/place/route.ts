// POST /acca/api/place {bet_id, price, stake, idempotency_key}: a signed-in customer (cookie) places a
// designed acca — TE re-price, operator bet (wallet), TE bet. Logic in server/acca-place/place.ts.
import { accaPlaceHandler } from "@/server/acca-place/app";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = (req: Request): Promise<Response> => accaPlaceHandler()(req);
