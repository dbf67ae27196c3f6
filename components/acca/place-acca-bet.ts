// placeAccaBet: the designer's call to place a priced acca for the signed-in customer. The browser
// only sends {bet_id, price, stake, idempotency_key} to POST /acca/api/place; the server side reads
// the customer's session from its HttpOnly cookie, re-prices with TE, places ONE seed-004 bet through
// the operator's bet-placement handler (marketTypeId "team_exotics", selectionId = TE bet_id) and
// then creates the TE bet (server/acca-place/place.ts, docs/acca-placement.md).
//
// `idempotencyKey` is made once when the customer confirms the slip and reused for retries and
// double clicks, so the acca is placed at most once per confirmation.

export interface AccaBetInput {
  /** TE bet_id from POST /acca/api/price. */
  teBetId: string;
  /** Decimal price exactly as quoted, e.g. "5.25". */
  price: string;
  /** Stake as typed, at most 2 decimals, e.g. "10" or "12.50". */
  stake: string;
  idempotencyKey: string;
}

export interface PlacedAcca {
  betId: string;
  teBetId: string;
  stake: string;
  price: string;
  potentialPayout: string;
  description: string;
}

export type AccaBetResult =
  | { ok: true; status: number; replayed: boolean; bet: PlacedAcca; balance: string }
  | {
      ok: false;
      status: number;
      /** SIGNED_OUT | SESSION_EXPIRED | PRICE_CHANGED | INSUFFICIENT_FUNDS | INVALID_STAKE | USER_BLOCKED | NOT_PLACED | PENDING_CONFIRMATION | … */
      code: string;
      message: string;
      /** PRICE_CHANGED: the new quote. */
      price?: string;
      bet_id?: string;
      maxStake?: string;
      minStake?: string;
      balance?: string;
    };

export const newIdempotencyKey = (): string => globalThis.crypto.randomUUID();

export async function placeAccaBet(input: AccaBetInput, fetchFn: typeof fetch = fetch): Promise<AccaBetResult> {
  let res: Response;
  try {
    res = await fetchFn("/acca/api/place", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "X-Idempotency-Key": input.idempotencyKey },
      body: JSON.stringify({ bet_id: input.teBetId, price: input.price, stake: input.stake.trim(), idempotency_key: input.idempotencyKey }),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, code: "NETWORK", message: "Could not reach the server. Check your connection and confirm again — the bet will not be placed twice." };
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && body?.status === "ok") {
    return { ok: true, status: res.status, replayed: body.replayed === true, bet: body.bet as PlacedAcca, balance: String(body.balance) };
  }
  return {
    ok: false,
    status: res.status,
    code: typeof body?.code === "string" ? body.code : "UNAVAILABLE",
    message: typeof body?.message === "string" ? body.message : `The bet could not be placed (HTTP ${res.status}).`,
    price: typeof body?.price === "string" ? body.price : undefined,
    bet_id: typeof body?.bet_id === "string" ? body.bet_id : undefined,
    maxStake: typeof body?.maxStake === "string" ? body.maxStake : undefined,
    minStake: typeof body?.minStake === "string" ? body.minStake : undefined,
    balance: typeof body?.balance === "string" ? body.balance : undefined,
  };
}
