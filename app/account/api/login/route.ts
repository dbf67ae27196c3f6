// POST /account/api/login — the customer's browser-facing session endpoint (server/acca-place/account-http.ts).
import { accountHandlers } from "@/server/acca-place/app";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = (req: Request): Promise<Response> => accountHandlers().login(req);
