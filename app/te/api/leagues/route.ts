// Team Exotics API: GET /te/api/leagues (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /te/api/leagues
export const GET = (req: Request): Promise<Response> => teHandlers().leagues(req);
