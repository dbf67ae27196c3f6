// GET /api/live – Server-Sent Events of engine events (RFQs, quotes, orders, settlements, health, ...).
// Resumes after the Last-Event-ID header or ?after=<seq>; starts at "now" otherwise.
import { z } from "zod";
import { route } from "@/server/http/route";
import { currentProvider, getDb, DEFAULT_DATABASE_URL } from "@/server/db/client";
import { engineEventStream } from "@/server/live/engine-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ZQuery = z.object({ after: z.coerce.number().int().min(0).optional() });

export const GET = route({ auth: "viewer", query: ZQuery }, ({ req, query }) => {
  const lastEventId = Number(req.headers.get("last-event-id"));
  const afterSeq = Number.isInteger(lastEventId) && lastEventId > 0 ? lastEventId : (query.after ?? null);
  const stream = engineEventStream({
    db: getDb(),
    provider: currentProvider(),
    databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    afterSeq,
    signal: req.signal,
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
});
