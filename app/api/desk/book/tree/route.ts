// GET /api/desk/book/tree – tournaments → upcoming/live events → markets, for the book picker.
import { route } from "@/server/http/route";
import { getDb } from "@/server/db/client";
import { bookTree } from "@/server/desk/book";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ auth: "viewer" }, () => bookTree(getDb()));
