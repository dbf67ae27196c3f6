// Team Exotics API: POST /te/api/login (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /te/api/login
export const POST = (req: Request): Promise<Response> => teHandlers().login(req);
