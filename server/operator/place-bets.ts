// POST /api/operator/bets: the seed's bet placement (shared/seeds/004), idempotent by
// X-Idempotency-Key, all bets of a betslip stored or none. See docs/operator-api.md.
//
// Postgres, normally: ONE statement, the place_bets() function (see place-bets-pg.ts), which accepts
// or hands the request back (FALLBACK) to the transactional path for an exact rejection. Under load,
// slips arriving together share that statement and its commit (group commit, place-batcher.ts).
//
// Otherwise one database transaction per request does everything: claim the idempotency key, lock the
// customer's cash account (Postgres: SELECT … FOR UPDATE; SQLite: writes are serialised), check the
// session, balance and limits (the max-liability check reads the running OpenLiability totals, see
// open-liability.ts), store the bets, add their liability to those totals, move the stakes
// customer_cash → pending_bets, and save the response under the key. A crash anywhere rolls all of it back, key included, so a retry
// simply runs again. A duplicate arriving while the first is running blocks on the key's unique
// index (Postgres) or the write lock (SQLite) until the first commits, then replays its response.
import { createHash } from "node:crypto";
import { providerOf, type Db, type DbProvider } from "../db/client.ts";
import { stakeTransfer, balanceOf } from "../../lib/ledger/rules.ts";
import { centsToWire } from "../../lib/ledger/decimal.ts";
import { OperatorError, parseBetslip, checkBetslip, limitsFromJson, canonicalJson, type ParsedBetslip } from "../../lib/operator/betslip.ts";
import { customerAccounts, postTransfers, type Tx } from "../wallet/ledger.ts";
import { pgClaim, pgRead, pgWrite, pgPlace, fastPathEligible, rememberLimits } from "./place-bets-pg.ts";
import { addOpenLiability, readOpenLiability, slipLiability } from "./open-liability.ts";
import { batcherFor, type PgPlaceBatcher } from "./place-batcher.ts";

export const IDEMPOTENCY_SCOPE = "operator.bets";
/** Keys are remembered for 24 hours; after that the same key is a new request. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** How long a duplicate waits for the first request with its key before REQUEST_TIMED_OUT. */
export const IN_FLIGHT_WAIT_MS = 5_000;
export const LIMITS_SETTING_KEY = "operator.limits";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PlaceResult = { status: number; body: string; replayed: boolean };

export type PlaceOptions = {
  /** Raw X-Idempotency-Key header value. */
  idempotencyKey: string | null;
  /** Raw request body text. */
  bodyText: string;
  now?: () => Date;
  provider?: DbProvider;
  /** How long a duplicate waits for an in-flight request with the same key (Postgres lock_timeout). */
  inFlightWaitMs?: number;
  /** Postgres: try the one-round-trip place_bets() function first (default true; false = transactional path only). */
  pgFastPath?: boolean;
  /** Postgres fast path: group slips that arrive together into one statement (default true; see place-batcher.ts). */
  pgBatch?: boolean;
  /** The batcher to use (default: the one of `db`). */
  batcher?: PgPlaceBatcher;
  /** Test hooks inside the transaction (they force the transactional path): after the checks (before any bet write), and after the bets are inserted. */
  hooks?: { beforeWrite?: () => Promise<void>; afterBets?: () => Promise<void> };
};

const errorResult = (e: OperatorError, replayed = false): PlaceResult => ({ status: e.status, body: JSON.stringify(e.toBody()), replayed });

const MESSAGES = {
  INVALID_USER: "unknown userId",
  INVALID_SESSION: "the session is unknown, expired or logged out",
  AUTHENTICATION_FAILED: "the sessionToken does not belong to this userId",
  IDEMPOTENCY_KEY_REUSED: "this X-Idempotency-Key was already used with a different request body",
  IN_FLIGHT: "a request with this X-Idempotency-Key is still in progress; retry later",
  TIMED_OUT: "the request could not be completed in time; retry with the same X-Idempotency-Key",
  GENERAL_EXCEPTION: "unexpected error; retry with the same X-Idempotency-Key",
} as const;
const inFlight = () => errorResult(new OperatorError("REQUEST_TIMED_OUT", MESSAGES.IN_FLIGHT));

/** Thrown inside the transaction to roll it back (and the key claim with it) and answer `result`. */
class Abort extends Error {
  constructor(readonly result: PlaceResult) {
    super("abort");
  }
}

const hashOf = (raw: unknown): string => createHash("sha256").update(canonicalJson(raw)).digest("hex");

const dbProvider = (db: Db, given?: DbProvider): DbProvider => {
  if (given) return given;
  const name = (db as unknown as { _engineConfig?: { activeProvider?: string } })._engineConfig?.activeProvider;
  if (name === "postgresql" || name === "postgres") return "postgres";
  if (name === "sqlite") return "sqlite";
  return providerOf(process.env.DATABASE_URL || "file:");
};

type KeyRow = { key: string; requestHash: string; state: string; responseStatus: number | null; responseBody: string | null; expiresAt: Date };

const replayOrConflict = (row: KeyRow, hash: string): PlaceResult | null => {
  if (row.requestHash !== hash) {
    return errorResult(new OperatorError("IDEMPOTENCY_KEY_REUSED", MESSAGES.IDEMPOTENCY_KEY_REUSED));
  }
  if (row.state === "completed" && row.responseStatus != null && row.responseBody != null) {
    return { status: row.responseStatus, body: row.responseBody, replayed: true };
  }
  return null;
};

export const placeBets = async (db: Db, opts: PlaceOptions): Promise<PlaceResult> => {
  const now = opts.now ?? (() => new Date());
  const key = opts.idempotencyKey?.trim() ?? "";
  if (!key) return errorResult(new OperatorError("MISSING_PARAMETER", "the X-Idempotency-Key header is required"));
  if (!UUID_RE.test(key)) return errorResult(new OperatorError("MISSING_PARAMETER", "the X-Idempotency-Key header must be a UUID"));

  let raw: unknown;
  try {
    raw = JSON.parse(opts.bodyText);
  } catch {
    return errorResult(new OperatorError("INVALID_BET_DETAILS", "the request body is not valid JSON"));
  }
  let slip: ParsedBetslip;
  try {
    slip = parseBetslip(raw);
  } catch (e) {
    if (e instanceof OperatorError) return errorResult(e);
    throw e;
  }
  const hash = hashOf(raw);

  const provider = dbProvider(db, opts.provider);
  if (provider === "postgres" && !opts.hooks && opts.pgFastPath !== false && fastPathEligible(slip)) {
    const fast = await placePgFast(db, key, hash, slip, now(), opts);
    if (fast) return fast;
  }
  // SQLite: answer retries of finished requests without queueing for the single write lock.
  // (Postgres answers them from the claim statement inside the transaction: one round trip fewer
  // on the hot path.)
  if (provider === "sqlite") {
    const seen = await db.idempotencyKey.findUnique({ where: { key } });
    if (seen && seen.expiresAt > now() && seen.scope === IDEMPOTENCY_SCOPE) {
      const r = replayOrConflict(seen, hash);
      if (r) return r;
    }
  }
  try {
    return await db.$transaction(async (tx) => (provider === "postgres" ? runPg(tx, key, hash, slip, now(), opts, db) : run(tx, provider, key, hash, slip, now(), opts)), {
      maxWait: 20_000,
      timeout: 20_000,
    });
  } catch (e) {
    if (e instanceof Abort) return e.result;
    if (isTimeout(e)) return errorResult(new OperatorError("REQUEST_TIMED_OUT", MESSAGES.TIMED_OUT));
    console.error("[operator.bets] unexpected error", e);
    return errorResult(new OperatorError("GENERAL_EXCEPTION", MESSAGES.GENERAL_EXCEPTION));
  }
};

/** Postgres requests sent to place_bets() (`fast`) and, of those, handed to the transactional path (`fallback`), in this process. */
export const pgPathStats = { fast: 0, fallback: 0 };

/** Postgres fast path: the answer, or null to run the transactional path (a rejection to build, or no function). */
const placePgFast = async (db: Db, key: string, hash: string, slip: ParsedBetslip, now: Date, opts: PlaceOptions): Promise<PlaceResult | null> => {
  const body = successBody(slip, now);
  pgPathStats.fast++;
  try {
    const args = {
      key,
      scope: IDEMPOTENCY_SCOPE,
      hash,
      now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS),
      lockTimeoutMs: opts.inFlightWaitMs ?? IN_FLIGHT_WAIT_MS,
      slip,
      limitsKey: LIMITS_SETTING_KEY,
      responseBody: body,
    };
    const r = await (opts.pgBatch === false ? pgPlace(db, args) : (opts.batcher ?? batcherFor(db)).place(args));
    switch (r.outcome) {
      case "PLACED":
        return { status: 200, body, replayed: false };
      case "REPLAY":
        return { status: r.status, body: r.body, replayed: true };
      case "CONFLICT":
        return errorResult(new OperatorError("IDEMPOTENCY_KEY_REUSED", MESSAGES.IDEMPOTENCY_KEY_REUSED));
      case "IN_FLIGHT":
        return inFlight();
      case "REJECTED":
        return errorResult(new OperatorError(r.code, MESSAGES[r.code]));
      case "FALLBACK":
        pgPathStats.fallback++;
        return null;
    }
  } catch (e) {
    if (isTimeout(e)) return errorResult(new OperatorError("REQUEST_TIMED_OUT", MESSAGES.TIMED_OUT));
    // A database without the 20261121040000_place_bets_fn migration: the transactional path still works.
    if (/42883|place_bets\(.*\) does not exist|function place_bets/i.test(`${(e as Error)?.message ?? ""}`)) return null;
    console.error("[operator.bets] unexpected error", e);
    return errorResult(new OperatorError("GENERAL_EXCEPTION", MESSAGES.GENERAL_EXCEPTION));
  }
};

const isTimeout = (e: unknown): boolean => {
  const text = `${(e as { code?: string })?.code ?? ""} ${(e as Error)?.message ?? ""}`;
  return /P2028|P1008|P2024|lock timeout|lock_timeout|canceling statement|Transaction already closed|timed out|SQLITE_BUSY|database is locked/i.test(text);
};

const run = async (tx: Tx, provider: DbProvider, key: string, hash: string, slip: ParsedBetslip, now: Date, opts: PlaceOptions): Promise<PlaceResult> => {
  // 1. Claim the key. Postgres blocks here while another transaction holds the same key.
  if (provider === "postgres") await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${Math.max(1, Math.floor(opts.inFlightWaitMs ?? IN_FLIGHT_WAIT_MS))}ms'`);
  const claimed = await claimKey(tx, provider, key, hash, now);
  if (claimed !== true) return claimed;

  const finish = async (status: number, body: string): Promise<PlaceResult> => {
    await tx.idempotencyKey.update({ where: { key }, data: { state: "completed", responseStatus: status, responseBody: body } });
    return { status, body, replayed: false };
  };
  const reject = (e: OperatorError): Promise<PlaceResult> => finish(e.status, JSON.stringify(e.toBody()));

  // 2. Session: the user must exist, the token must be a live session of that user.
  const acct = customerAccounts(slip.userId);
  if (provider === "postgres") await tx.$queryRaw`SELECT "id" FROM "LedgerAccount" WHERE "id" = ${acct.cash} FOR UPDATE`;
  const [customer, session, cash] = await Promise.all([
    tx.customer.findUnique({ where: { id: slip.userId }, select: { id: true, blocked: true, lastBetAt: true } }),
    tx.customerSession.findUnique({ where: { token: slip.sessionToken }, select: { customerId: true, expiresAt: true, revokedAt: true } }),
    tx.ledgerAccount.findUnique({ where: { id: acct.cash } }),
  ]);
  if (!customer || !cash) throw new Abort(errorResult(new OperatorError("INVALID_USER", MESSAGES.INVALID_USER)));
  if (!session || session.revokedAt || session.expiresAt <= now) throw new Abort(errorResult(new OperatorError("INVALID_SESSION", MESSAGES.INVALID_SESSION)));
  if (session.customerId !== customer.id) throw new Abort(errorResult(new OperatorError("AUTHENTICATION_FAILED", MESSAGES.AUTHENTICATION_FAILED)));

  // 3. Balance, then regulatory limits (all read under the account lock, so they are current).
  const marketTypes = [...new Set(slip.bets.map((b) => b.wire.marketTypeId))];
  const [limitsRow, openLiabilityCents, dup] = await Promise.all([
    tx.setting.findUnique({ where: { key: LIMITS_SETTING_KEY } }),
    readOpenLiability(tx, customer.id, marketTypes),
    tx.placedBet.findMany({ where: { betId: { in: slip.bets.map((b) => b.wire.betId) } }, select: { betId: true } }),
  ]);
  if (dup.length) return reject(new OperatorError("INVALID_BET_DETAILS", `betId already placed: ${dup.map((d) => d.betId).join(", ")}`));
  try {
    checkBetslip(slip.bets, { balanceCents: balanceOf(cash), blocked: customer.blocked, lastBetAt: customer.lastBetAt, openLiabilityCents }, limitsFromJson(limitsRow?.valueJson), now);
  } catch (e) {
    if (e instanceof OperatorError) return reject(e);
    throw e;
  }
  await opts.hooks?.beforeWrite?.();

  // 4. Store every bet as pending, add their liability to the running totals and move every stake;
  //    one failure rolls back all of them.
  await tx.placedBet.createMany({ data: slip.bets.map((b) => betRow(slip, b, now)) });
  await opts.hooks?.afterBets?.();
  await addOpenLiability(tx, customer.id, slipLiability(slip.bets));
  await postTransfers(
    tx,
    slip.bets.filter((b) => b.stakeCents > 0n).map((b) => stakeTransfer(b.wire.betId, b.stakeCents, acct)),
  );
  await tx.customer.update({ where: { id: customer.id }, data: { lastBetAt: now } });
  return finish(200, successBody(slip, now));
};

const betRow = (slip: ParsedBetslip, b: ParsedBetslip["bets"][number], now: Date) => ({
      betId: b.wire.betId,
      requestId: slip.requestId,
      customerId: slip.userId,
      sportId: b.wire.sportId,
      sportName: b.wire.sportName,
      sportDisplayName: b.wire.sportDisplayName,
      eventId: b.wire.eventId,
      eventAltId: b.wire.eventAltId ?? null,
      eventName: b.wire.eventName,
      eventDisplayName: b.wire.eventDisplayName,
      eventStage: b.wire.eventStage,
      competitionId: b.wire.competitionId,
      competitionName: b.wire.competitionName,
      competitionDisplayName: b.wire.competitionDisplayName,
      marketTypeId: b.wire.marketTypeId,
      marketId: b.wire.marketId,
      marketName: b.wire.marketName,
      marketDisplayName: b.wire.marketDisplayName,
      marketStage: b.wire.marketStage,
      selectionId: b.wire.selectionId,
      selectionName: b.wire.selectionName,
      selectionDisplayName: b.wire.selectionDisplayName,
      decimalPrice: b.priceText,
      stakeCents: Number(b.stakeCents),
      potentialPayoutCents: Number(b.potentialPayoutCents),
      status: "pending",
      createdAt: now,
});

const successBody = (slip: ParsedBetslip, now: Date): string =>
  JSON.stringify({
    requestId: slip.requestId,
    userId: slip.userId,
    sessionToken: slip.sessionToken,
    timestamp: String(now.getTime()),
    status: "PLACED" as const,
    bets: slip.bets.map((b) => ({ ...b.wire, potentialPayout: centsToWire(b.potentialPayoutCents) })),
  });

/** Postgres: the same steps in four statements (see place-bets-pg.ts). */
const runPg = async (tx: Tx, key: string, hash: string, slip: ParsedBetslip, now: Date, opts: PlaceOptions, db: Db): Promise<PlaceResult> => {
  const acct = customerAccounts(slip.userId);
  const lockTimeoutMs = Math.max(1, Math.floor(opts.inFlightWaitMs ?? IN_FLIGHT_WAIT_MS));
  const claimed = await pgClaim(tx, { key, scope: IDEMPOTENCY_SCOPE, hash, now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS), cashId: acct.cash, lockTimeoutMs });
  if (!claimed) {
    const row = await tx.idempotencyKey.findUnique({ where: { key } });
    const r = row && replayOrConflict(row, hash);
    if (r) return r;
    return inFlight();
  }
  const reject = async (e: OperatorError): Promise<PlaceResult> => {
    const body = JSON.stringify(e.toBody());
    await tx.$executeRaw`UPDATE "IdempotencyKey" SET "state" = 'completed', "responseStatus" = ${e.status}, "responseBody" = ${body} WHERE "key" = ${key}`;
    return { status: e.status, body, replayed: false };
  };
  const st = await pgRead(tx, slip, LIMITS_SETTING_KEY);
  rememberLimits(db, st.limitsJson); // what the fast path evaluates the next slips against
  if (!st.customerId || st.creditsPosted === null || st.debitsPosted === null) throw new Abort(errorResult(new OperatorError("INVALID_USER", MESSAGES.INVALID_USER)));
  if (!st.sessionCustomerId || st.sessionRevokedAt || !st.sessionExpiresAt || st.sessionExpiresAt <= now) {
    throw new Abort(errorResult(new OperatorError("INVALID_SESSION", MESSAGES.INVALID_SESSION)));
  }
  if (st.sessionCustomerId !== st.customerId) throw new Abort(errorResult(new OperatorError("AUTHENTICATION_FAILED", MESSAGES.AUTHENTICATION_FAILED)));
  if (st.dups.length) return reject(new OperatorError("INVALID_BET_DETAILS", `betId already placed: ${st.dups.join(", ")}`));
  const openLiabilityCents = new Map(st.open.map((o) => [o.m, BigInt(o.l)] as const));
  try {
    checkBetslip(
      slip.bets,
      { balanceCents: st.creditsPosted - st.debitsPosted, blocked: !!st.blocked, lastBetAt: st.lastBetAt, openLiabilityCents },
      limitsFromJson(st.limitsJson),
      now,
    );
  } catch (e) {
    if (e instanceof OperatorError) return reject(e);
    throw e;
  }
  await opts.hooks?.beforeWrite?.();
  const body = successBody(slip, now);
  if (opts.hooks?.afterBets) {
    // Test hook only: split the write so a crash can land between bets and transfers.
    await tx.placedBet.create({ data: { ...betRow(slip, slip.bets[0]!, now) } });
    await opts.hooks.afterBets();
    throw new Error("afterBets hook returned on the Postgres path; it is only for crash tests");
  }
  await pgWrite(tx, { slip, key, now, responseBody: body });
  return { status: 200, body, replayed: false };
};

/** true when this transaction now owns the key; otherwise the response to give (replay/conflict/wait). */
const claimKey = async (tx: Tx, provider: DbProvider, key: string, hash: string, now: Date): Promise<true | PlaceResult> => {
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS);
  if (provider === "postgres") {
    const rows = await tx.$queryRaw<{ key: string }[]>`
      INSERT INTO "IdempotencyKey" ("key", "scope", "requestHash", "state", "createdAt", "expiresAt")
      VALUES (${key}, ${IDEMPOTENCY_SCOPE}, ${hash}, 'in_flight', ${now}, ${expiresAt})
      ON CONFLICT ("key") DO UPDATE SET "scope" = EXCLUDED."scope", "requestHash" = EXCLUDED."requestHash", "state" = 'in_flight',
        "responseStatus" = NULL, "responseBody" = NULL, "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
      WHERE "IdempotencyKey"."expiresAt" <= ${now} OR "IdempotencyKey"."scope" <> ${IDEMPOTENCY_SCOPE}
      RETURNING "key"`;
    if (rows.length === 1) return true;
  } else {
    // SQLite: this transaction holds the database's only write lock, so read-then-write is safe.
    const row = await tx.idempotencyKey.findUnique({ where: { key } });
    const data = { scope: IDEMPOTENCY_SCOPE, requestHash: hash, state: "in_flight", responseStatus: null, responseBody: null, createdAt: now, expiresAt };
    if (!row) {
      await tx.idempotencyKey.create({ data: { key, ...data } });
      return true;
    }
    if (row.expiresAt <= now || row.scope !== IDEMPOTENCY_SCOPE) {
      await tx.idempotencyKey.update({ where: { key }, data });
      return true;
    }
  }
  const row = await tx.idempotencyKey.findUnique({ where: { key } });
  if (!row) throw new Error("idempotency key vanished");
  const r = replayOrConflict(row, hash);
  if (r) return r;
  // Only reachable if an in_flight row was committed, which this code never does.
  return inFlight();
};
