// Team Exotics API: GET /te/api/bets/struct (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /te/api/bets/struct
export const GET = (req: Request): Promise<Response> => teHandlers().struct(req);
