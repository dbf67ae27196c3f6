// Shared fixtures for the operator tests and bench: customers with sessions, betslip builders.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";
import { createCustomer, login } from "./customers.ts";

let n = 0;

export const makeBet = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  betId: randomUUID(),
  sportId: "1",
  sportName: "soccer",
  sportDisplayName: "Soccer",
  eventId: "ev-1",
  eventName: "a-v-b",
  eventDisplayName: "A v B",
  eventStage: "PRE_PLAY",
  competitionId: "c-1",
  competitionName: "league",
  competitionDisplayName: "League",
  marketTypeId: "match_odds",
  marketId: "m-1",
  marketName: "match-odds",
  marketDisplayName: "Match Odds",
  marketStage: "PRE_PLAY",
  selectionId: "s-1",
  selectionName: "a",
  selectionDisplayName: "A",
  decimalPrice: 2.5,
  stake: 10,
  ...over,
});

export const makeSlip = (user: { userId: string; sessionToken: string }, bets: Record<string, unknown>[], over: Record<string, unknown> = {}) => ({
  requestId: randomUUID(),
  userId: user.userId,
  sessionToken: user.sessionToken,
  timestamp: String(Date.now()),
  bets,
  ...over,
});

export type TestCustomer = { userId: string; sessionToken: string; refreshToken: string; email: string; password: string };

export const customerWithSession = async (db: Db, depositCents: bigint, opts: { blocked?: boolean } = {}): Promise<TestCustomer> => {
  const email = `c${process.pid}_${Date.now()}_${++n}@example.com`;
  const password = "pw-" + n;
  const { id } = await createCustomer(db, { email, name: "Test", password, depositCents, blocked: false });
  const s = await login(db, email, password);
  if (opts.blocked) await db.customer.update({ where: { id }, data: { blocked: true } });
  return { userId: id, sessionToken: s.sessionToken, refreshToken: s.refreshToken, email, password };
};
