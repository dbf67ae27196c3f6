// Operator customers and their sessions: login (email/password → sessionToken + refreshToken),
// refresh (rotates both tokens), logout (revokes), and the "me" view (balance, open bets).
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import type { Db } from "../db/client.ts";
import { newId } from "../ids.ts";
import { centsToWire } from "../../lib/ledger/decimal.ts";
import { balances, openCustomerAccounts, deposit } from "../wallet/ledger.ts";

export const SESSION_TTL_MS = 60 * 60 * 1000; // 1 hour
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000; // 30 days

export class CustomerAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: "INVALID_CREDENTIALS" | "INVALID_SESSION" | "USER_BLOCKED" | "MISSING_PARAMETER",
    message: string,
  ) {
    super(message);
  }
}

/** 16 random bytes, base64 — the seed's example token shape ("0bJV7oLNI0iMFl3rlomqQQ=="). */
const token = (): string => randomBytes(16).toString("base64");

export type CreateCustomer = { email: string; name: string; password: string; depositCents?: bigint; id?: string; blocked?: boolean };

export const createCustomer = async (db: Db, c: CreateCustomer): Promise<{ id: string }> => {
  const id = c.id ?? newId("cus");
  const passwordHash = await bcrypt.hash(c.password, 8);
  await db.$transaction(async (tx) => {
    await tx.customer.create({ data: { id, email: c.email.toLowerCase(), name: c.name, passwordHash, blocked: c.blocked ?? false } });
    await openCustomerAccounts(tx, id);
  });
  if (c.depositCents && c.depositCents > 0n) await deposit(db, id, c.depositCents, `trf_dep_init_${id}`);
  return { id };
};

export type SessionTokens = { userId: string; sessionToken: string; refreshToken: string; expiresAt: string; refreshExpiresAt: string };

const issue = async (db: Db, customerId: string, now: Date): Promise<SessionTokens> => {
  const s = await db.customerSession.create({
    data: {
      token: token(),
      customerId,
      refreshToken: token(),
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      refreshExpiresAt: new Date(now.getTime() + REFRESH_TTL_MS),
      createdAt: now,
    },
  });
  return { userId: customerId, sessionToken: s.token, refreshToken: s.refreshToken, expiresAt: s.expiresAt.toISOString(), refreshExpiresAt: s.refreshExpiresAt.toISOString() };
};

export const login = async (db: Db, email: string, password: string, now = new Date()): Promise<SessionTokens> => {
  const c = await db.customer.findUnique({ where: { email: email.toLowerCase() } });
  // Compare against a dummy hash when the user is unknown so timing does not reveal which emails exist.
  const ok = await bcrypt.compare(password, c?.passwordHash ?? "$2b$08$0000000000000000000000000000000000000000000000000000.");
  if (!c || !ok) throw new CustomerAuthError(401, "INVALID_CREDENTIALS", "wrong email or password");
  if (c.blocked) throw new CustomerAuthError(403, "USER_BLOCKED", "this account is blocked");
  return issue(db, c.id, now);
};

/** Rotates: the old session (and its refresh token) is revoked, a new pair is issued. */
export const refresh = async (db: Db, refreshToken: string, now = new Date()): Promise<SessionTokens> => {
  const s = await db.customerSession.findUnique({ where: { refreshToken } });
  if (!s || s.revokedAt || s.refreshExpiresAt <= now) throw new CustomerAuthError(401, "INVALID_SESSION", "the refresh token is unknown, expired or revoked");
  const revoked = await db.customerSession.updateMany({ where: { token: s.token, revokedAt: null }, data: { revokedAt: now } });
  if (revoked.count !== 1) throw new CustomerAuthError(401, "INVALID_SESSION", "the refresh token was already used");
  return issue(db, s.customerId, now);
};

export const logout = async (db: Db, sessionToken: string, now = new Date()): Promise<void> => {
  await db.customerSession.updateMany({ where: { token: sessionToken, revokedAt: null }, data: { revokedAt: now } });
};

export const customerOfSession = async (db: Db, sessionToken: string, now = new Date()): Promise<string> => {
  const s = await db.customerSession.findUnique({ where: { token: sessionToken } });
  if (!s || s.revokedAt || s.expiresAt <= now) throw new CustomerAuthError(401, "INVALID_SESSION", "the session is unknown, expired or logged out");
  return s.customerId;
};

export const me = async (db: Db, sessionToken: string, now = new Date()) => {
  const id = await customerOfSession(db, sessionToken, now);
  const [c, bal, open] = await Promise.all([
    db.customer.findUniqueOrThrow({ where: { id }, select: { id: true, email: true, name: true, blocked: true } }),
    balances(db, id),
    db.placedBet.findMany({ where: { customerId: id, status: "pending" }, orderBy: { createdAt: "desc" }, take: 200 }),
  ]);
  return {
    userId: c.id,
    email: c.email,
    name: c.name,
    blocked: c.blocked,
    balance: centsToWire(bal.cashCents),
    pendingStakes: centsToWire(bal.pendingCents),
    openBets: open.map((b) => ({
      betId: b.betId,
      eventName: b.eventName,
      marketName: b.marketName,
      selectionName: b.selectionName,
      decimalPrice: b.decimalPrice,
      stake: centsToWire(b.stakeCents),
      potentialPayout: centsToWire(b.potentialPayoutCents),
      placedAt: b.createdAt.toISOString(),
    })),
  };
};
