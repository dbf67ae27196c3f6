// Team Exotics API: GET /te/api/teams (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /te/api/teams
export const GET = (req: Request): Promise<Response> => teHandlers().teams(req);
