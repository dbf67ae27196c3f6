// Team Exotics API: POST /te/api/bets/create (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /te/api/bets/create
export const POST = (req: Request): Promise<Response> => teHandlers().create(req);
