// The Postgres paths of bet placement.
//
// Fast path (`pgPlace`): ONE statement in autocommit, `SELECT … FROM place_bets(…)`, a PL/pgSQL
// function (prisma/postgres/migrations/20261121060000_open_liability, based on 20261121050000_place_bets_lean)
// that locks the cash account by debiting the slip's total, claims the idempotency key, stamps
// lastBetAt while reading user, session, blocked, cool-down and already-used bet ids, adds the slip's
// liability to the customer's running OpenLiability totals (UPDATE … RETURNING the new total), and
// writes bets, stake transfers, the pending account and the stored response. One round trip, one commit.
// The regulatory limits are evaluated here, before the call, by lib/operator/betslip.ts itself
// (`fastPlan`: limitsFromJson + checkBetslip, exactly the transactional path's code) against the
// limits Setting text last seen; the function only checks that the Setting still holds that text
// (outcome LIMITS otherwise: re-read, re-plan, call again) and applies what depends on the database:
// balance ≥ total, not blocked, outside the cool-down, open liability with the slip ≤ the cap.
// It only ever ACCEPTS: any business rejection raises FALLBACK, which rolls the statement back (debit
// and key claim included), and the caller re-runs the request on the transactional path below, which
// builds and stores the exact rejection; a slip the limits reject whatever the database says skips
// the function altogether. Payouts are checked in SQL (`bet_payout_cents`, exact numeric, floor to
// the cent) against lib/ledger/decimal.ts's.
//
// Transactional path (`pgClaim` → `pgRead` → `pgWrite`, used for rejections and test hooks): the same
// steps in three statements inside one READ COMMITTED transaction:
//   1. claim: set lock_timeout, lock the customer's cash account row (FOR UPDATE), insert the
//      idempotency key (blocks while another transaction holds the same key);
//   2. read: customer, session, limits, the running open liability per market type (OpenLiability),
//      already-used bet ids — a fresh snapshot taken after the lock, so balance, cool-down and
//      liability are current (placements, the only thing that raises liability, hold that lock too);
//   3. write: bets + stake transfers + both account counters (the debit conditional on
//      credits − debits ≥ total) + the open-liability totals + lastBetAt + the stored response, as
//      one data-modifying CTE.
// All or nothing: any failure (or a kill) rolls the whole transaction back, key included.
import { Prisma } from "../db/generated/sqlite/client.ts";
import { stakeTransfer } from "../../lib/ledger/rules.ts";
import { checkBetslip, limitsFromJson, type Limits, type OperatorErrorCode, type ParsedBetslip } from "../../lib/operator/betslip.ts";
import { customerAccounts, type Tx } from "../wallet/ledger.ts";
import { slipLiability } from "./open-liability.ts";

export type PgState = {
  claimed: boolean;
  debitsPosted: bigint | null;
  creditsPosted: bigint | null;
  customerId: string | null;
  blocked: boolean | null;
  lastBetAt: Date | null;
  sessionCustomerId: string | null;
  sessionExpiresAt: Date | null;
  sessionRevokedAt: Date | null;
  limitsJson: string | null;
  open: { m: string; l: string }[];
  dups: string[];
};

const parseJson = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

/** Statement 1: returns true when this transaction now owns the key (and holds the account lock). */
export const pgClaim = async (tx: Tx, a: { key: string; scope: string; hash: string; now: Date; expiresAt: Date; cashId: string; lockTimeoutMs: number }): Promise<boolean> => {
  const rows = await tx.$queryRaw<{ key: string }[]>`
    WITH cfg AS (SELECT set_config('lock_timeout', ${`${a.lockTimeoutMs}ms`}, true) AS v),
    lk AS (SELECT acc."id" FROM "LedgerAccount" acc, cfg WHERE acc."id" = ${a.cashId} AND cfg.v IS NOT NULL FOR UPDATE OF acc)
    INSERT INTO "IdempotencyKey" ("key", "scope", "requestHash", "state", "createdAt", "expiresAt")
    SELECT ${a.key}, ${a.scope}, ${a.hash}, 'in_flight', ${a.now}, ${a.expiresAt} FROM cfg LEFT JOIN lk ON true
    ON CONFLICT ("key") DO UPDATE SET "scope" = EXCLUDED."scope", "requestHash" = EXCLUDED."requestHash", "state" = 'in_flight',
      "responseStatus" = NULL, "responseBody" = NULL, "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
    WHERE "IdempotencyKey"."expiresAt" <= ${a.now} OR "IdempotencyKey"."scope" <> ${a.scope}
    RETURNING "key"`;
  return rows.length === 1;
};

/** Statement 2: everything the checks need, read after the lock. */
export const pgRead = async (tx: Tx, slip: ParsedBetslip, limitsKey: string): Promise<Omit<PgState, "claimed">> => {
  const acct = customerAccounts(slip.userId);
  const mts = [...new Set(slip.bets.map((b) => b.wire.marketTypeId))];
  const ids = slip.bets.map((b) => b.wire.betId);
  const rows = await tx.$queryRaw<Record<string, unknown>[]>`
    SELECT a."debitsPosted", a."creditsPosted", c."id" AS "customerId", c."blocked", c."lastBetAt",
      s."customerId" AS "sessionCustomerId", s."expiresAt" AS "sessionExpiresAt", s."revokedAt" AS "sessionRevokedAt",
      (SELECT "valueJson" FROM "Setting" WHERE "key" = ${limitsKey}) AS "limitsJson",
      (SELECT COALESCE(json_agg(json_build_object('m', o."marketTypeId", 'l', o."openCents"::text)), '[]'::json) FROM "OpenLiability" o
         WHERE o."customerId" = ${slip.userId} AND o."marketTypeId" IN (${Prisma.join(mts)}))::text AS "open",
      (SELECT COALESCE(json_agg("betId"), '[]'::json) FROM "PlacedBet" WHERE "betId" IN (${Prisma.join(ids)}))::text AS "dups"
    FROM (SELECT 1) one
    LEFT JOIN "LedgerAccount" a ON a."id" = ${acct.cash}
    LEFT JOIN "Customer" c ON c."id" = ${slip.userId}
    LEFT JOIN "CustomerSession" s ON s."token" = ${slip.sessionToken}`;
  const r = rows[0]!;
  const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string | number | bigint));
  const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string));
  return {
    debitsPosted: big(r.debitsPosted),
    creditsPosted: big(r.creditsPosted),
    customerId: (r.customerId as string | null) ?? null,
    blocked: (r.blocked as boolean | null) ?? null,
    lastBetAt: date(r.lastBetAt),
    sessionCustomerId: (r.sessionCustomerId as string | null) ?? null,
    sessionExpiresAt: date(r.sessionExpiresAt),
    sessionRevokedAt: date(r.sessionRevokedAt),
    limitsJson: (r.limitsJson as string | null) ?? null,
    open: parseJson<{ m: string; l: string }[]>(r.open),
    dups: parseJson<string[]>(r.dups),
  };
};

/** Statement 3: all writes of an accepted betslip plus the stored response. Throws if any part did not apply. */
export const pgWrite = async (tx: Tx, a: { slip: ParsedBetslip; key: string; now: Date; responseBody: string }): Promise<void> => {
  const { slip, now } = a;
  const acct = customerAccounts(slip.userId);
  const total = slip.bets.reduce((s, b) => s + b.stakeCents, 0n);
  const betRows = slip.bets.map((b) => {
    const w = b.wire;
    return Prisma.sql`(${w.betId}, ${slip.requestId}, ${slip.userId}, ${w.sportId}, ${w.sportName}, ${w.sportDisplayName}, ${w.eventId}, ${w.eventAltId ?? null},
      ${w.eventName}, ${w.eventDisplayName}, ${w.eventStage}, ${w.competitionId}, ${w.competitionName}, ${w.competitionDisplayName}, ${w.marketTypeId},
      ${w.marketId}, ${w.marketName}, ${w.marketDisplayName}, ${w.marketStage}, ${w.selectionId}, ${w.selectionName}, ${w.selectionDisplayName},
      ${b.priceText}, ${Number(b.stakeCents)}::int, ${Number(b.potentialPayoutCents)}::int, 'pending', ${now})`;
  });
  const transfers = slip.bets.filter((b) => b.stakeCents > 0n).map((b) => stakeTransfer(b.wire.betId, b.stakeCents, acct));
  const trfRows = transfers.map((t) => Prisma.sql`(${t.id}, ${t.debitAccountId}, ${t.creditAccountId}, ${t.amount}, ${t.code}, ${t.betId ?? null}, ${now})`);
  const liability = [...slipLiability(slip.bets)].map(([mt, cents]) => Prisma.sql`(${mt}::text, ${cents}::bigint)`);
  const trfCte = trfRows.length
    ? Prisma.sql`trf AS (INSERT INTO "LedgerTransfer" ("id", "debitAccountId", "creditAccountId", "amount", "code", "betId", "createdAt") VALUES ${Prisma.join(trfRows)} RETURNING 1),
      deb AS (UPDATE "LedgerAccount" SET "debitsPosted" = "debitsPosted" + ${total} WHERE "id" = ${acct.cash} AND "creditsPosted" - "debitsPosted" >= ${total} RETURNING 1),
      cre AS (UPDATE "LedgerAccount" SET "creditsPosted" = "creditsPosted" + ${total} WHERE "id" = ${acct.pending} RETURNING 1),`
    : Prisma.sql`trf AS (SELECT 1 WHERE false), deb AS (SELECT 1), cre AS (SELECT 1),`;
  const rows = await tx.$queryRaw<{ bets: number; trf: number; deb: number; cre: number; ol: number; idk: number }[]>`
    WITH bets AS (INSERT INTO "PlacedBet" ("betId", "requestId", "customerId", "sportId", "sportName", "sportDisplayName", "eventId", "eventAltId",
        "eventName", "eventDisplayName", "eventStage", "competitionId", "competitionName", "competitionDisplayName", "marketTypeId",
        "marketId", "marketName", "marketDisplayName", "marketStage", "selectionId", "selectionName", "selectionDisplayName",
        "decimalPrice", "stakeCents", "potentialPayoutCents", "status", "createdAt") VALUES ${Prisma.join(betRows)} RETURNING 1),
      ${trfCte}
      olv AS (SELECT * FROM (VALUES ${Prisma.join(liability)}) v(mt, cents)),
      olu AS (UPDATE "OpenLiability" o SET "openCents" = o."openCents" + olv.cents FROM olv
        WHERE o."customerId" = ${slip.userId} AND o."marketTypeId" = olv.mt RETURNING o."marketTypeId"),
      oli AS (INSERT INTO "OpenLiability" ("customerId", "marketTypeId", "openCents")
        SELECT ${slip.userId}, olv.mt, olv.cents FROM olv WHERE olv.mt NOT IN (SELECT "marketTypeId" FROM olu) RETURNING 1),
      cus AS (UPDATE "Customer" SET "lastBetAt" = ${now} WHERE "id" = ${slip.userId} RETURNING 1),
      idk AS (UPDATE "IdempotencyKey" SET "state" = 'completed', "responseStatus" = 200, "responseBody" = ${a.responseBody} WHERE "key" = ${a.key} RETURNING 1)
    SELECT (SELECT count(*) FROM bets)::int AS bets, (SELECT count(*) FROM trf)::int AS trf, (SELECT count(*) FROM deb)::int AS deb,
      (SELECT count(*) FROM cre)::int AS cre, ((SELECT count(*) FROM olu) + (SELECT count(*) FROM oli))::int AS ol, (SELECT count(*) FROM idk)::int AS idk`;
  const r = rows[0]!;
  if (r.bets !== slip.bets.length || r.trf !== transfers.length || r.deb !== 1 || r.cre !== 1 || r.ol !== liability.length || r.idk !== 1) {
    throw new Error(`placement write did not fully apply: ${JSON.stringify(r)}`);
  }
};

// ───────────────────────────── Fast path: one round trip ─────────────────────────────

export type PgPlaceResult =
  | { outcome: "PLACED" }
  | { outcome: "REPLAY"; status: number; body: string }
  | { outcome: "CONFLICT" }
  | { outcome: "IN_FLIGHT" }
  /** Not remembered under the key (the function rolled its claim back). */
  | { outcome: "REJECTED"; code: Extract<OperatorErrorCode, "INVALID_USER" | "INVALID_SESSION" | "AUTHENTICATION_FAILED"> }
  /** Nothing was written; run the transactional path. */
  | { outcome: "FALLBACK" };

export type PgPlaceArgs = {
  key: string;
  scope: string;
  hash: string;
  now: Date;
  expiresAt: Date;
  lockTimeoutMs: number;
  slip: ParsedBetslip;
  limitsKey: string;
  /** The PLACED response, stored under the key when the slip is accepted. */
  responseBody: string;
};

const PLACE_SQL =
  `SELECT "outcome", "status", "body" FROM place_bets($1, $2, $3, $4, $5, $6::int, $7, $8, $9, $10, $11, $12, $13::text, $14::bigint, ` +
  `$15::bigint, $16::text[], $17::text[], $18::bigint[], $19::numeric[], $20::jsonb, $21)`;

/** Market type ids that are Object.prototype members make limitsFromJson's lookup hit the prototype: transactional path only. */
export const fastPathEligible = (slip: ParsedBetslip): boolean => slip.bets.every((b) => !(b.wire.marketTypeId in Object.prototype));

/**
 * The limits' verdict on a slip as far as it does not depend on the database, for place_bets(): null
 * when checkBetslip (the transactional path's own code) rejects the slip whatever the customer's
 * state, or when a limit is not something place_bets() can apply exactly (a cool-down that is not a
 * safe integer). Otherwise what is left for the database: the total stake, the bet ids, the cool-down,
 * and each market type of the slip with the slip's liability in it and its cap. checkBetslip accepts
 * the slip iff, additionally, balance ≥ total, not blocked, not in the cool-down and, per market type,
 * open liability + the slip's ≤ cap (liabilities are ≥ 0 as prices are > 1, so the bet-by-bet running
 * check passes iff the slip's total per market type fits). place_bets() adds the slip's liability to
 * the customer's running total and compares the new total with the cap.
 */
export type FastPlan = { total: bigint; betIds: string[]; cooldownMs: number; marketTypes: string[]; liability: bigint[]; liabilityCap: bigint[] };

export const fastPlan = (slip: ParsedBetslip, limits: Limits): FastPlan | null => {
  const total = slip.bets.reduce((s, b) => s + b.stakeCents, 0n);
  try {
    // A customer state that passes every database-dependent check: what can still fail is the slip against the limits.
    checkBetslip(slip.bets, { balanceCents: total, blocked: false, lastBetAt: null, openLiabilityCents: new Map() }, limits, new Date(0));
  } catch {
    return null; // a rejection (or a limit checkBetslip cannot even read): the transactional path answers
  }
  if (limits.cooldownMs > 0 && !Number.isSafeInteger(limits.cooldownMs)) return null;
  const liability = slipLiability(slip.bets);
  const marketTypes = [...liability.keys()];
  // The cap exactly as checkBetslip computes it (it evaluated the same expression above without throwing).
  const cap = (mt: string) => BigInt(limits.maxLiabilityCents[mt] ?? limits.maxLiabilityCents.default ?? Number.MAX_SAFE_INTEGER);
  return {
    total,
    betIds: slip.bets.map((b) => b.wire.betId),
    cooldownMs: limits.cooldownMs > 0 ? limits.cooldownMs : 0,
    marketTypes,
    liability: marketTypes.map((mt) => liability.get(mt)!),
    liabilityCap: marketTypes.map(cap),
  };
};

/**
 * The limits Setting as last seen per database client: its text (null = no row) and limitsFromJson of it.
 * place_bets() compares the text with the row on every call (outcome LIMITS when it changed), and the
 * transactional path refreshes it, so a stale entry costs at most one retry.
 */
type KnownLimits = { text: string | null; limits: Limits };
const knownLimits = new WeakMap<object, KnownLimits>();
export const rememberLimits = (db: object, text: string | null): void => {
  if (knownLimits.get(db)?.text !== text) knownLimits.set(db, { text, limits: limitsFromJson(text) });
};
const limitsFor = (db: object): KnownLimits => knownLimits.get(db) ?? { text: null, limits: limitsFromJson(null) };

/** The bets as the function's jsonb argument: PlacedBet columns + the caller's payout + the stake transfer. */
export const placeBetsRows = (slip: ParsedBetslip) => {
  const acct = customerAccounts(slip.userId);
  return slip.bets.map((b) => {
    const w = b.wire;
    const t = stakeTransfer(w.betId, b.stakeCents, acct);
    return {
      betId: w.betId,
      sportId: w.sportId,
      sportName: w.sportName,
      sportDisplayName: w.sportDisplayName,
      eventId: w.eventId,
      eventAltId: w.eventAltId ?? null,
      eventName: w.eventName,
      eventDisplayName: w.eventDisplayName,
      eventStage: w.eventStage,
      competitionId: w.competitionId,
      competitionName: w.competitionName,
      competitionDisplayName: w.competitionDisplayName,
      marketTypeId: w.marketTypeId,
      marketId: w.marketId,
      marketName: w.marketName,
      marketDisplayName: w.marketDisplayName,
      marketStage: w.marketStage,
      selectionId: w.selectionId,
      selectionName: w.selectionName,
      selectionDisplayName: w.selectionDisplayName,
      decimalPrice: b.priceText,
      // Exact integers as decimal text (jsonb_to_recordset reads them into bigint/numeric).
      stakeCents: b.stakeCents.toString(),
      payoutCents: b.potentialPayoutCents.toString(),
      transferId: t.id,
      transferCode: t.code,
    };
  });
};

/** The `place_bets:<CODE>` a function-raised error carries, or null for any other error. */
export const placeBetsRaise = (e: unknown): string | null => {
  const cause = (e as { meta?: { driverAdapterError?: { cause?: { originalMessage?: string } } } })?.meta?.driverAdapterError?.cause;
  return raiseCodeOf(cause?.originalMessage ?? (e as Error)?.message ?? "");
};
/** The `<CODE>` of a 'place_bets:<CODE>' message, or null. */
export const raiseCodeOf = (message: string): string | null => /place_bets:([A-Z_]+)/.exec(message)?.[1] ?? null;

const REJECT_CODES = new Set(["INVALID_USER", "INVALID_SESSION", "AUTHENTICATION_FAILED"]);

/** A Postgres array literal of strings, every element quoted (cheaper to send through Prisma than a JS array). */
export const pgArray = (items: readonly string[]): string => `{${items.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;

/** The function's answer as a result, or "LIMITS" (after noting the current setting: evaluate the slip again); throws on anything else. */
export const placeOutcome = (db: object, r: { outcome: string; status: number | null; body: string | null } | undefined): PgPlaceResult | "LIMITS" => {
  switch (r?.outcome) {
    case "PLACED":
      return { outcome: "PLACED" };
    case "REPLAY":
      return { outcome: "REPLAY", status: r.status!, body: r.body! };
    case "CONFLICT":
      return { outcome: "CONFLICT" };
    case "IN_FLIGHT":
      return { outcome: "IN_FLIGHT" };
    case "LIMITS":
      // The setting is not what we evaluated the slip against: nothing was done; again with the current one.
      rememberLimits(db, r.status === 1 ? r.body : null);
      return "LIMITS";
    default:
      throw new Error(`place_bets returned ${JSON.stringify(r)}`);
  }
};

/** A function-raised error's answer: FALLBACK or a rejection; null when it is not one of the function's codes. */
export const raisedOutcome = (code: string | null): PgPlaceResult | null => {
  if (code === "FALLBACK") return { outcome: "FALLBACK" };
  if (code && REJECT_CODES.has(code)) return { outcome: "REJECTED", code: code as "INVALID_USER" };
  return null;
};

/** The arguments of one place_bets() call, by name: pgPlace sends them as parameters, the batcher as one JSON element of place_bets_batch(). */
export const placeCall = (a: PgPlaceArgs, limitsText: string | null, plan: FastPlan) => {
  const acct = customerAccounts(a.slip.userId);
  return {
    key: a.key,
    scope: a.scope,
    hash: a.hash,
    now: a.now.toISOString(),
    expires: a.expiresAt.toISOString(),
    user: a.slip.userId,
    session: a.slip.sessionToken,
    requestId: a.slip.requestId,
    cash: acct.cash,
    pending: acct.pending,
    limitsKey: a.limitsKey,
    limitsJson: limitsText,
    cooldownMs: String(plan.cooldownMs),
    total: plan.total.toString(),
    betIds: plan.betIds,
    marketTypes: plan.marketTypes,
    liability: plan.liability.map(String),
    liabilityCap: plan.liabilityCap.map(String),
    bets: placeBetsRows(a.slip),
    response: a.responseBody,
  };
};

/** The limits as last seen for this client and the slip's plan under them (null: the transactional path decides). */
export const currentPlan = (db: object, slip: ParsedBetslip): { text: string | null; plan: FastPlan | null } => {
  const known = limitsFor(db);
  return { text: known.text, plan: fastPlan(slip, known.limits) };
};

/** One statement, autocommit (plus one more if the limits setting changed). Throws on database errors (lock timeout included) other than the function's own codes. */
export const pgPlace = async (db: Tx, a: PgPlaceArgs): Promise<PgPlaceResult> => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { text, plan } = currentPlan(db, a.slip);
    if (!plan) {
      // Rejected by the limits as we know them: make sure they are current before handing over.
      const row = await db.setting.findUnique({ where: { key: a.limitsKey }, select: { valueJson: true } });
      if ((row?.valueJson ?? null) === text) return { outcome: "FALLBACK" };
      rememberLimits(db, row?.valueJson ?? null);
      continue;
    }
    const c = placeCall(a, text, plan);
    let rows: { outcome: string; status: number | null; body: string | null }[];
    try {
      rows = await db.$queryRawUnsafe(
        PLACE_SQL,
        c.key,
        c.scope,
        c.hash,
        c.now,
        c.expires,
        Math.max(1, Math.floor(a.lockTimeoutMs)),
        c.user,
        c.session,
        c.requestId,
        c.cash,
        c.pending,
        c.limitsKey,
        c.limitsJson,
        c.cooldownMs,
        c.total,
        pgArray(c.betIds),
        pgArray(c.marketTypes),
        pgArray(c.liability),
        pgArray(c.liabilityCap),
        JSON.stringify(c.bets),
        c.response,
      );
    } catch (e) {
      const raised = raisedOutcome(placeBetsRaise(e));
      if (raised) return raised;
      throw e;
    }
    const r = placeOutcome(db, rows[0]);
    if (r !== "LIMITS") return r;
  }
  return { outcome: "FALLBACK" }; // the setting keeps changing under us: let the transactional path read it
};
