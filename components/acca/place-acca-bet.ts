// placeAccaBet: places a priced acca with the operator's bet-placement endpoint
// (POST /api/operator/bets, shared/seeds/004 betslip format). The whole acca is one BetDetails: its
// price is the TE price for the bet_id, and the TE bet_id travels as market and selection id so the
// operator can settle it through GET /te/api/bets/show. The designer does not call this yet: "Place
// bet" first sends the customer to sign in (/account/login?next=/acca?bet=…); the signed-in flow
// that supplies userId and sessionToken calls this function.

export interface AccaBetInput {
  userId: string;
  sessionToken: string;
  /** TE bet_id from POST /te/api/bets/price. */
  teBetId: string;
  /** Decimal price exactly as quoted, e.g. "5.25". */
  price: string;
  /** Stake in currency units, at most 2 decimals. */
  stake: number;
  /** Plain-words description from the TE service. */
  description: string;
  legs: Array<{ league: string; event: string }>;
  /** "At least 2 of 3" etc. */
  conditionLabel: string;
}

export interface AccaBetResult {
  ok: boolean;
  status: number;
  body: unknown;
}

const uuid = (): string => globalThis.crypto.randomUUID();

/** The seed-004 request body for one acca. */
export function accaBetslip(input: AccaBetInput, now = Date.now(), ids: { requestId?: string; betId?: string } = {}) {
  const events = [...new Set(input.legs.map((l) => l.event))];
  const leagues = [...new Set(input.legs.map((l) => l.league))];
  const eventName = events.length === 1 ? events[0]! : `Team Exotics acca: ${events.length} matches`;
  const competition = leagues.length === 1 ? leagues[0]! : "Team Exotics";
  return {
    requestId: ids.requestId ?? uuid(),
    userId: input.userId,
    sessionToken: input.sessionToken,
    timestamp: String(now),
    bets: [
      {
        betId: ids.betId ?? uuid(),
        sportId: "football",
        sportName: "football",
        sportDisplayName: "Football",
        eventId: events.length === 1 ? `te:${events[0]}` : `te-acca:${input.teBetId}`,
        eventName,
        eventDisplayName: eventName,
        eventStage: "PRE_PLAY",
        competitionId: `te:${competition}`,
        competitionName: competition,
        competitionDisplayName: competition,
        marketTypeId: "TE_ACCA",
        marketId: input.teBetId,
        marketName: input.conditionLabel,
        marketDisplayName: input.conditionLabel,
        marketStage: "PRE_PLAY",
        selectionId: input.teBetId,
        selectionName: input.description,
        selectionDisplayName: input.description,
        decimalPrice: Number(input.price),
        stake: input.stake,
      },
    ],
  };
}

export async function placeAccaBet(input: AccaBetInput, fetchFn: typeof fetch = fetch): Promise<AccaBetResult> {
  const res = await fetchFn("/api/operator/bets", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "X-Idempotency-Key": uuid() },
    body: JSON.stringify(accaBetslip(input)),
  });
  const body = (await res.json().catch(() => null)) as unknown;
  return { ok: res.ok, status: res.status, body };
}
