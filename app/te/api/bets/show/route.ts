// Team Exotics API: GET /te/api/bets/show (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /te/api/bets/show
export const GET = (req: Request): Promise<Response> => teHandlers().show(req);
