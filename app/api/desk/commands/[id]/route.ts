// GET /api/desk/commands/:id – a command's status (pending | done | failed) and the engine's result.
import { route } from "@/server/http/route";
import { AppError } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { getCommand } from "@/server/desk/commands";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ auth: "viewer" }, async ({ params }) => {
  const c = await getCommand(getDb(), params.id ?? "");
  if (!c) throw new AppError("not_found", "no such command");
  return { command: c };
});
