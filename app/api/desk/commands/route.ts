// POST /api/desk/commands { id?: "cmd_<ulid>", type, payload } – a trader action for the engine
// (kill_switch, pause_quoting, resume_quoting, cancel_all, place_wager, cancel_wager, override_quote,
// decline_rfq, manual_quote, update_settings). Writes an EngineCommand and an AuditLog row; 201 when
// created, 200 with the stored command when the id was already used (idempotent retry).
import { route } from "@/server/http/route";
import { getDb } from "@/server/db/client";
import { enqueueCommand, ZCommandBody } from "@/server/desk/commands";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ auth: "trader", body: ZCommandBody, rateLimit: { perSecond: 20, burst: 40 } }, async ({ body, user }) => {
  const { command, created } = await enqueueCommand(getDb(), body, { id: user!.id, email: user!.email, name: user!.name });
  return Response.json({ command }, { status: created ? 201 : 200 });
});
