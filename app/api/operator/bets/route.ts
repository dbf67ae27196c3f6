// POST /api/operator/bets — operator bet placement (shared/seeds/004); logic in server/operator.
import { getDb } from "../../../../server/db/client.ts";
import { placeBetsHandler } from "../../../../server/operator/http.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = placeBetsHandler(getDb);
