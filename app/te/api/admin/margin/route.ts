// Team Exotics API: GET /te/api/admin/margin, PUT /te/api/admin/margin (handler in server/te/handlers.ts).
import { teHandlers } from "@/server/te/context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /te/api/admin/margin
export const GET = (req: Request): Promise<Response> => teHandlers().getMargin(req);
// PUT /te/api/admin/margin
export const PUT = (req: Request): Promise<Response> => teHandlers().putMargin(req);
