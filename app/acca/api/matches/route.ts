// GET /acca/api/matches: the acca designer's server-side call to the TE service (server/te/acca-proxy.ts).
import { accaProxy } from "@/server/te/acca-proxy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /acca/api/matches
export const GET = (req: Request): Promise<Response> => accaProxy().matches(req);
