// GET /api/desk/overview – the overview's live numbers (RFQ counts, open orders and wagers, worst case, P&L).
import { route } from "@/server/http/route";
import { getDb } from "@/server/db/client";
import { overviewView } from "@/server/desk/controls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ auth: "viewer" }, () => overviewView(getDb(), Date.now()));
