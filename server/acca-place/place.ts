// POST /acca/api/place: a signed-in customer places a designed Team Exotics acca.
//
// Order (see docs/acca-placement.md): 1. re-price the TE quote (nothing is placed when the price or
// bet_id moved); 2. place ONE seed-004 bet through the operator's own POST /api/operator/bets handler
// (session, balance, limits, wallet debit — all or nothing, idempotent by a key derived from the
// client's confirmation key); 3. create the TE bet. The operator bet goes first because every common
// rejection (funds, stake limits, session, blocked) happens there and the wallet is ours to undo: if
// step 3 is refused, the operator bet is voided (stake back to cash, ledger balanced). TE offers no
// void, so the opposite order could leave a TE bet "placed" with no wallet bet behind it.
import type { Db } from "../db/client.ts";
import { TeApiError, type TeClient } from "../te/client.ts";
import { placeBetsHandler } from "../operator/http.ts";
import { settleBet, TEAM_EXOTICS_MARKET_TYPE } from "../operator/settle.ts";
import { balances } from "../wallet/ledger.ts";
import { decimalText, decimalToCents } from "../../lib/ledger/decimal.ts";
import { accaBetslip, placementIds, type AccaStruct } from "./betslip.ts";
import { clearCookieHeader, readCustomerSession, sameOrigin } from "./session.ts";

export type PlaceDeps = {
  db: () => Db;
  /** The TE client with the operator's API key (the app: getHouseTeClient). */
  te: (req: Request) => Promise<TeClient>;
  now?: () => number;
};

type Outcome = { status: number; body: Record<string, unknown>; clearCookie?: boolean };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BET_ID_RE = /^[A-Za-z0-9_-]{1,100}$/;

const json = (o: Outcome, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(o.body), { status: o.status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });
const err = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Outcome => ({ status, body: { status: "error", code, message, ...extra } });

export const centsText = (c: bigint | number): string => {
  const v = BigInt(c);
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? "-" : ""}${a / 100n}.${(a % 100n).toString().padStart(2, "0")}`;
};
const money = (n: unknown): string => (typeof n === "number" && Number.isFinite(n) ? n.toFixed(2) : String(n));
const normDec = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s).replace(/^0+(?=\d)/, "");

const internal = (path: string, init: RequestInit) => new Request(`http://internal.local${path}`, init);

type PlacedRow = { betId: string; customerId: string; selectionId: string; stakeCents: number; decimalPrice: string; potentialPayoutCents: number; eventName: string; status: string };

// ───────────────────────────── TE side ─────────────────────────────

type Holder = "ours" | "theirs" | "not_placed" | "unknown";

/** Who holds the TE bet: placed with our stake and no other live operator bet on it → ours. */
const whoHolds = async (db: Db, te: TeClient, bet: PlacedRow): Promise<Holder> => {
  let show;
  try {
    show = await te.show(bet.selectionId);
  } catch (e) {
    if (e instanceof TeApiError && e.status === 404) return "theirs";
    return "unknown";
  }
  if (show.status === "priced") return "not_placed";
  const teStake = show.stake === null ? null : decimalToCents(String(show.stake));
  if (teStake !== BigInt(bet.stakeCents)) return "theirs";
  const others = await db.placedBet.count({
    where: { selectionId: bet.selectionId, marketTypeId: TEAM_EXOTICS_MARKET_TYPE, betId: { not: bet.betId }, status: { not: "void" } },
  });
  // Another customer's operator bet on the same TE bet_id with the same stake: cannot tell; leave it
  // pending for the reconciliation job / a person rather than void a bet that may be ours.
  return others === 0 ? "ours" : "unknown";
};

export type TeCreateResult = { kind: "placed" } | { kind: "rejected"; error: TeApiError | Error } | { kind: "unknown"; error: unknown };

/** Creates the TE bet for an operator bet, or confirms that an earlier attempt did. */
export const teCreateOrConfirm = async (db: Db, te: TeClient, bet: PlacedRow): Promise<TeCreateResult> => {
  let last: unknown = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await te.create({ bet_id: bet.selectionId, stake: centsText(bet.stakeCents), price: bet.decimalPrice });
      return { kind: "placed" };
    } catch (e) {
      last = e;
      const definitive = e instanceof TeApiError && e.status >= 400 && e.status < 500;
      const h = await whoHolds(db, te, bet);
      if (h === "ours") return { kind: "placed" };
      if (h === "theirs") return { kind: "rejected", error: e as Error };
      if (h === "unknown") return { kind: "unknown", error: e };
      // not_placed: a definitive refusal stands; a transport error is retried once.
      if (definitive) return { kind: "rejected", error: e as TeApiError };
    }
  }
  return { kind: "unknown", error: last };
};

// ───────────────────────────── the handler ─────────────────────────────

export type PlaceInput = { betId: string; price: string; stakeCents: bigint; clientKey: string };

const parseInput = (raw: unknown, headerKey: string | null): PlaceInput | Outcome => {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return err(400, "BAD_REQUEST", "the body must be JSON {bet_id, price, stake, idempotency_key}");
  const b = raw as Record<string, unknown>;
  const betId = typeof b.bet_id === "string" ? b.bet_id.trim() : "";
  if (!BET_ID_RE.test(betId)) return err(400, "BAD_REQUEST", "bet_id is required (the acca's TE bet_id)");
  const price = decimalText(b.price);
  if (!price || !/^\d+(\.\d+)?$/.test(price) || Number(price) <= 1) return err(400, "BAD_REQUEST", "price must be the quoted decimal price, e.g. \"5.25\"");
  const stakeText = decimalText(b.stake);
  const stakeCents = stakeText === null ? null : decimalToCents(stakeText);
  if (stakeCents === null || stakeCents <= 0n) return err(400, "INVALID_STAKE", "Enter a stake greater than 0 with at most 2 decimal places.");
  const clientKey = typeof b.idempotency_key === "string" ? b.idempotency_key.trim() : (headerKey?.trim() ?? "");
  if (!UUID_RE.test(clientKey)) return err(400, "BAD_REQUEST", "idempotency_key (a UUID made when the slip is confirmed) is required");
  return { betId, price, stakeCents, clientKey };
};

export function createAccaPlaceHandler(deps: PlaceDeps) {
  const nowMs = deps.now ?? Date.now;
  // Same customer + same confirmation key in this process: one placement, shared by both callers.
  const inflight = new Map<string, Promise<Outcome>>();

  const success = async (db: Db, bet: PlacedRow, replayed: boolean, description?: string): Promise<Outcome> => {
    const bal = await balances(db, bet.customerId);
    return {
      status: 200,
      body: {
        status: "ok",
        replayed,
        bet: {
          betId: bet.betId,
          teBetId: bet.selectionId,
          stake: centsText(bet.stakeCents),
          price: bet.decimalPrice,
          potentialPayout: centsText(bet.potentialPayoutCents),
          description: description ?? bet.eventName,
        },
        balance: centsText(bal.cashCents),
      },
    };
  };

  /** Step 3 (and the resume path): create the TE bet, or void the operator bet when TE refuses. */
  const finish = async (db: Db, te: TeClient, bet: PlacedRow, replayed: boolean, description?: string): Promise<Outcome> => {
    const r = await teCreateOrConfirm(db, te, bet);
    if (r.kind === "placed") return success(db, bet, replayed, description);
    if (r.kind === "unknown") {
      console.error("[acca.place] TE outcome unknown; operator bet left pending for reconciliation", bet.betId, r.error);
      return err(502, "PENDING_CONFIRMATION", "We could not confirm your bet with the pricing service. Your stake is held; the bet will be confirmed or refunded automatically — check your account shortly.", {
        betId: bet.betId,
      });
    }
    await settleBet(db, bet.betId, "void");
    const bal = await balances(db, bet.customerId);
    const tb = (r.error instanceof TeApiError ? r.error.body : null) as { price?: unknown; bet_id?: unknown } | null;
    if (typeof tb?.price === "string" && r.error instanceof TeApiError && r.error.status === 409) {
      return err(409, "PRICE_CHANGED", `The price changed to ${tb.price} before your bet was placed. Nothing was placed and your stake was returned; check the new price and confirm again.`, {
        price: tb.price,
        bet_id: typeof tb.bet_id === "string" ? tb.bet_id : undefined,
        balance: centsText(bal.cashCents),
      });
    }
    const why = r.error instanceof TeApiError && r.error.status !== 401 ? r.error.message : "the pricing service refused it";
    return err(409, "NOT_PLACED", `The acca could not be placed (${why}). Nothing was placed and your stake was returned.`, { balance: centsText(bal.cashCents) });
  };

  /** An operator bet for this confirmation key already exists: report it (finishing TE if needed). */
  const resume = async (db: Db, req: Request, bet: PlacedRow): Promise<Outcome> => {
    if (bet.status === "void") {
      return err(409, "CANCELLED", "An earlier attempt with this confirmation was cancelled and your stake returned. Check the price and confirm again.");
    }
    if (bet.status !== "pending") return success(db, bet, true);
    const te = await deps.te(req);
    if ((await whoHolds(db, te, bet)) === "ours") return success(db, bet, true);
    return finish(db, te, bet, true);
  };

  const findBet = (db: Db, betId: string) => db.placedBet.findUnique({ where: { betId } }) as Promise<PlacedRow | null>;

  const place = async (req: Request, userId: string, sessionToken: string, input: PlaceInput): Promise<Outcome> => {
    const db = deps.db();
    const ids = placementIds(userId, input.clientKey);
    const existing = await findBet(db, ids.betId);
    if (existing) return resume(db, req, existing);

    // 1. Re-price: the quote's struct priced now must give the same bet_id and price.
    const te = await deps.te(req);
    let stored: Awaited<ReturnType<TeClient["struct"]>>;
    let fresh: Awaited<ReturnType<TeClient["price"]>>;
    try {
      stored = await te.struct(input.betId);
    } catch (e) {
      if (e instanceof TeApiError && e.status === 404) return err(404, "QUOTE_NOT_FOUND", "This acca quote is unknown; rebuild the slip to get a new price.");
      console.error("[acca.place] TE struct failed", e);
      return err(502, "UNAVAILABLE", "The pricing service is unavailable; nothing was placed. Try again in a moment.");
    }
    try {
      fresh = await te.price(stored.bet);
    } catch (e) {
      if (e instanceof TeApiError && e.status >= 400 && e.status < 500 && e.status !== 401) {
        return err(409, "NOT_AVAILABLE", `This acca can no longer be placed: ${e.message}. Nothing was placed.`);
      }
      console.error("[acca.place] TE price failed", e);
      return err(502, "UNAVAILABLE", "The pricing service is unavailable; nothing was placed. Try again in a moment.");
    }
    if (fresh.bet_id !== input.betId || normDec(fresh.price) !== normDec(input.price)) {
      const moved = normDec(fresh.price) !== normDec(input.price);
      return err(
        409,
        "PRICE_CHANGED",
        moved
          ? `The price has changed from ${input.price} to ${fresh.price}. Nothing was placed; check the new price and confirm again.`
          : `This quote has already been used; the same acca is quoted again at ${fresh.price}. Nothing was placed; confirm again.`,
        { price: fresh.price, bet_id: fresh.bet_id },
      );
    }

    // 2. The operator bet (wallet debit), through the POST /api/operator/bets handler itself.
    const slip = accaBetslip(
      { userId, sessionToken, teBetId: input.betId, price: fresh.price, stake: centsText(input.stakeCents), description: fresh.description ?? stored.description, struct: stored.bet as AccaStruct },
      ids,
      nowMs(),
    );
    const res = await placeBetsHandler(deps.db)(
      internal("/api/operator/bets", { method: "POST", headers: { "content-type": "application/json", "x-idempotency-key": ids.idempotencyKey }, body: JSON.stringify(slip) }),
    );
    const ob = (await res.json().catch(() => null)) as {
      status?: string;
      errorCode?: string;
      errorMessage?: string;
      failedBets?: Array<{ reason?: { maxStake?: number; minStake?: number } }>;
    } | null;
    if (res.status !== 200 || ob?.status !== "PLACED") {
      const code = ob?.errorCode ?? "GENERAL_EXCEPTION";
      switch (code) {
        case "INVALID_SESSION":
        case "AUTHENTICATION_FAILED":
        case "INVALID_USER":
          return { ...err(401, "SESSION_EXPIRED", "Your session has expired. Sign in again to place this bet."), clearCookie: true };
        case "INSUFFICIENT_FUNDS": {
          const bal = await balances(db, userId);
          return err(400, "INSUFFICIENT_FUNDS", `Insufficient funds: your balance is ${centsText(bal.cashCents)} and the stake is ${centsText(input.stakeCents)}. Nothing was placed.`, {
            balance: centsText(bal.cashCents),
          });
        }
        case "INVALID_STAKE": {
          const reason = ob?.failedBets?.[0]?.reason ?? {};
          if (reason.maxStake !== undefined) {
            return err(400, "INVALID_STAKE", `The most you can stake on this acca is ${money(reason.maxStake)}. Nothing was placed.`, { maxStake: money(reason.maxStake) });
          }
          if (reason.minStake !== undefined) {
            return err(400, "INVALID_STAKE", `The minimum stake is ${money(reason.minStake)}. Nothing was placed.`, { minStake: money(reason.minStake) });
          }
          return err(400, "INVALID_STAKE", ob?.errorMessage ?? "The stake is outside the limits. Nothing was placed.");
        }
        case "USER_BLOCKED":
          return err(403, "USER_BLOCKED", `${ob?.errorMessage ?? "Your account cannot place bets right now"}. Nothing was placed.`);
        case "IDEMPOTENCY_KEY_REUSED":
        case "INVALID_BET_DETAILS": {
          // A concurrent or earlier attempt with this confirmation key got there first.
          const again = await findBet(db, ids.betId);
          if (again && again.customerId === userId) return resume(db, req, again);
          if (code === "IDEMPOTENCY_KEY_REUSED") return err(409, "ALREADY_SUBMITTED", "This confirmation was already used; check your account, then confirm again.");
          return err(400, "INVALID_BET", `The bet was refused: ${ob?.errorMessage ?? "invalid bet details"}.`);
        }
        default:
          console.error("[acca.place] operator placement failed", res.status, ob);
          return err(503, "UNAVAILABLE", "The bet could not be placed right now; nothing was placed. Try again.");
      }
    }
    const bet = await findBet(db, ids.betId);
    if (!bet) return err(500, "UNAVAILABLE", "The bet could not be read back; check your account.");

    // 3. The TE bet; voids the operator bet if TE refuses.
    return finish(db, te, bet, false, fresh.description);
  };

  return async (req: Request): Promise<Response> => {
    try {
      if (!sameOrigin(req)) return json(err(403, "FORBIDDEN", "cross-site request refused"));
      const { session, cleared } = await readCustomerSession(req, deps);
      if (!session) return json(err(401, "SIGNED_OUT", "Sign in to place a bet."), cleared ? { "set-cookie": cleared } : {});
      const text = await req.text();
      if (text.length > 4096) return json(err(413, "BAD_REQUEST", "the request is too large"));
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return json(err(400, "BAD_REQUEST", "the body must be JSON {bet_id, price, stake, idempotency_key}"));
      }
      const input = parseInput(raw, req.headers.get("x-idempotency-key"));
      if ("status" in input) return json(input, session.setCookie ? { "set-cookie": session.setCookie } : {});
      const key = `${session.userId}\n${input.clientKey}`;
      let p = inflight.get(key);
      if (!p) {
        p = place(req, session.userId, session.sessionToken, input).finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      const out = await p;
      const setCookie = out.clearCookie ? clearCookieHeader(req) : session.setCookie;
      return json(out, setCookie ? { "set-cookie": setCookie } : {});
    } catch (e) {
      console.error("[acca.place] unexpected error", e);
      return json(err(500, "UNAVAILABLE", "Something went wrong; check your account before trying again."));
    }
  };
}

// ───────────────────────────── reconciliation ─────────────────────────────

export type ReconcileReport = { examined: number; confirmed: number; voided: number; unresolved: number };

/**
 * For a periodic job: pending Team Exotics operator bets older than `olderThanMs` whose TE bet was
 * never created (a crash or TE outage between steps 2 and 3) are created now, or voided (stake
 * back) when TE refuses them. Safe to run concurrently with placements older than the TE timeout.
 */
export const reconcileAccaPlacements = async (
  db: Db,
  te: TeClient,
  opts: { olderThanMs?: number; windowMs?: number; now?: () => number; limit?: number } = {},
): Promise<ReconcileReport> => {
  const now = (opts.now ?? Date.now)();
  const rows = (await db.placedBet.findMany({
    where: {
      marketTypeId: TEAM_EXOTICS_MARKET_TYPE,
      status: "pending",
      createdAt: { lt: new Date(now - (opts.olderThanMs ?? 60_000)), gt: new Date(now - (opts.windowMs ?? 7 * 24 * 3600_000)) },
    },
    orderBy: { createdAt: "asc" },
    take: opts.limit ?? 200,
  })) as PlacedRow[];
  const report: ReconcileReport = { examined: 0, confirmed: 0, voided: 0, unresolved: 0 };
  for (const bet of rows) {
    report.examined++;
    const h = await whoHolds(db, te, bet);
    if (h === "ours") {
      report.confirmed++;
      continue;
    }
    if (h === "unknown") {
      report.unresolved++;
      continue;
    }
    const r = h === "theirs" ? ({ kind: "rejected" } as const) : await teCreateOrConfirm(db, te, bet);
    if (r.kind === "placed") report.confirmed++;
    else if (r.kind === "rejected") {
      if (await settleBet(db, bet.betId, "void")) report.voided++;
    } else report.unresolved++;
  }
  return report;
};
