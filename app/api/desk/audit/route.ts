// GET /api/desk/audit?page=&pageSize=&actorType=&action= – the audit log, newest first, paged.
import { z } from "zod";
import { route } from "@/server/http/route";
import { getDb } from "@/server/db/client";
import { auditPage } from "@/server/desk/controls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const ZQuery = z.object({
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(10).max(200).optional(),
  actorType: z.enum(["engine", "trader", "system", "customer"]).optional(),
  action: z.string().max(100).optional(),
});

export const GET = route({ auth: "viewer", query: ZQuery }, ({ query }) => auditPage(getDb(), query));
