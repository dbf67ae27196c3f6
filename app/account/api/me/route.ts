// GET /account/api/me — {signedIn:false} or the customer's balance and open bets (server/acca-place/account-http.ts).
import { accountHandlers } from "@/server/acca-place/app";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (req: Request): Promise<Response> => accountHandlers().me(req);
