// First-start data: the admin trader account (password from ADMIN_PASSWORD, else generated and shown
// once) and the operator's Team Exotics API key. Idempotent: safe on every start.
import { createHash, randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import type { Db } from "./db/client.ts";
import { newId } from "./ids.ts";

export type SeedResult = { adminEmail: string; generatedAdminPassword: string | null };

export const ensureAdmin = async (db: Db, email: string, password: string | undefined): Promise<SeedResult> => {
  const existing = await db.traderUser.findUnique({ where: { email } });
  if (existing) {
    if (password && !(await bcrypt.compare(password, existing.passwordHash))) {
      await db.traderUser.update({ where: { email }, data: { passwordHash: await bcrypt.hash(password, 10) } });
    }
    return { adminEmail: email, generatedAdminPassword: null };
  }
  const generated = password ? null : randomBytes(9).toString("base64url");
  await db.traderUser.create({
    data: { id: newId("usr"), email, name: "Admin", role: "trader", passwordHash: await bcrypt.hash(password ?? generated!, 10) },
  });
  await db.auditLog.create({ data: { actorType: "system", actorId: "start", action: "admin_created", subjectType: "trader_user", subjectId: email } });
  return { adminEmail: email, generatedAdminPassword: generated };
};

export const sha256Hex = (s: string): string => createHash("sha256").update(s).digest("hex");

export const ensureTeOperator = async (db: Db, apiKey: string, name = "Operator"): Promise<void> => {
  const apiKeyHash = sha256Hex(apiKey);
  const existing = await db.teOperator.findUnique({ where: { apiKeyHash } });
  if (!existing) await db.teOperator.create({ data: { id: "op_default", name, apiKeyHash } }).catch(async () => {
    // A previous install's default operator has another key (secrets regenerated): rotate its key.
    await db.teOperator.update({ where: { id: "op_default" }, data: { apiKeyHash } });
  });
};
