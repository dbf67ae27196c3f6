// Team Exotics API: POST /te/api/admin/settle (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /te/api/admin/settle
export const POST = (req: Request): Promise<Response> => teHandlers().settle(req);
