// GET /api/customer/me — see docs/operator-api.md; logic in server/operator/customers.ts.
import { getDb } from "../../../../server/db/client.ts";
import { customerHandlers } from "../../../../server/operator/customer-http.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = customerHandlers(getDb).me;
