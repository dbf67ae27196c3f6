// Team Exotics API: POST /te/api/logout (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /te/api/logout
export const POST = (req: Request): Promise<Response> => teHandlers().logout(req);
