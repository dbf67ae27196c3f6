// POST /acca/api/price: the acca designer's server-side call to the TE service (server/te/acca-proxy.ts).
import { accaProxy } from "@/server/te/acca-proxy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /acca/api/price
export const POST = (req: Request): Promise<Response> => accaProxy().price(req);
