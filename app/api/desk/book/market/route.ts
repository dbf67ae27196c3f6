// GET /api/desk/book/market?key=<eventId>:<marketId> – a market's ladder (latest snapshot per line),
// recent matched trades and our wagers on it.
import { z } from "zod";
import { route } from "@/server/http/route";
import { AppError } from "@/server/http/errors";
import { getDb } from "@/server/db/client";
import { marketBook } from "@/server/desk/book";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ZQuery = z.object({ key: z.string().regex(/^\d+:\d+$/, "key must be <eventId>:<marketId>") });

export const GET = route({ auth: "viewer", query: ZQuery }, async ({ query }) => {
  const book = await marketBook(getDb(), query.key);
  if (!book) throw new AppError("not_found", "no such market");
  return book;
});
