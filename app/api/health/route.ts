// GET /api/health – database reachable, engine lease holder and heartbeat age, exchange connection state.
import { route } from "@/server/http/route";
import { currentProvider, getDb } from "@/server/db/client";
import { readHealth } from "@/server/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ auth: "public" }, async () => {
  const health = await readHealth(getDb(), currentProvider(), Date.now());
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
