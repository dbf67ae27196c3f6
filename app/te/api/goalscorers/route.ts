// Team Exotics API: GET /te/api/goalscorers (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /te/api/goalscorers
export const GET = (req: Request): Promise<Response> => teHandlers().goalscorers(req);
