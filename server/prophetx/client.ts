// Typed ProphetX endpoints (MM + parlay SP) over ProphetXRest. Money crosses this boundary in cents:
// callers pass cents, the wire gets dollars (protocol-decisions "Units").
import { z } from "zod";
import { centsToDollars } from "../../lib/money/cents.ts";
import { isPxCode } from "./errors.ts";
import { ProphetXRest, type PxRestOptions } from "./rest.ts";
import * as S from "./schemas.ts";

export type MarketsSnapshot = Map<number, S.PxMarket[]> & { fetchStartedMs: number };
export type PlaceWagerInput = { externalId: string; lineId: string; odds: number; stakeCents: number; strategy?: "fillOrKill" };
export type CancelRef = { wagerId: string; externalId: string };
export type OfferTier = { validUntilNs: string; odds: number; maxRiskCents: number; estimatedPrice: { lineId: string; odds: number }[] };
export type ConfirmationBody = {
  action: "accept" | "reject";
  confirmedOdds: number;
  confirmedStakeCents?: number;
  orderUuid?: string | null;
  priceProbability: { maxRiskCents: number; lines: { lineId: string; probability: number }[] }[];
};

const zAny = z.unknown();

export class ProphetXClient {
  readonly rest: ProphetXRest;
  constructor(opts: PxRestOptions) {
    this.rest = new ProphetXRest(opts);
  }
  get baseUrl(): string {
    return this.rest.baseUrl;
  }
  start(): void {
    this.rest.start();
  }
  close(): void {
    this.rest.close();
  }

  // ── reference data ──
  getBalanceCents = async (): Promise<number> => {
    const d = await this.rest.request("GET", "/partner/mm/get_balance", z.looseObject({ balance: z.number() }));
    return Math.round(d.balance * 100);
  };
  getOddsLadder = () => this.rest.request("GET", "/partner/mm/get_odds_ladder", z.array(z.number().int()));
  getTournaments = async () =>
    (await this.rest.request("GET", "/partner/mm/get_tournaments", z.looseObject({ tournaments: z.array(S.zTournament).nullish() }))).tournaments ?? [];
  getSportEvents = async (q: { tournamentId: number } | { eventIds: number[] }) =>
    (
      await this.rest.request("GET", "/partner/mm/get_sport_events", z.looseObject({ sport_events: z.array(S.zSportEvent).nullish() }), {
        query: "tournamentId" in q ? { tournament_id: q.tournamentId } : { event_ids: q.eventIds.join(",") },
      })
    ).sport_events ?? [];
  /**
   * Markets of any number of events (50 per request), keyed by event id. `fetchStartedMs` is when the
   * first request was sent: the book keeps socket updates applied after it (lib/market/book.ts).
   */
  getMultipleMarkets = async (eventIds: number[]): Promise<MarketsSnapshot> => {
    const out: MarketsSnapshot = Object.assign(new Map<number, S.PxMarket[]>(), { fetchStartedMs: Date.now() });
    for (let i = 0; i < eventIds.length; i += 50) {
      const chunk = eventIds.slice(i, i + 50);
      const d = await this.rest.request("GET", "/partner/v2/mm/get_multiple_markets", z.record(z.string(), z.array(S.zMarket).nullish()), { query: { event_ids: chunk.join(",") } });
      for (const [k, v] of Object.entries(d)) out.set(Number(k), v ?? []);
    }
    return out;
  };
  getMarkets = async (eventId: number) =>
    (await this.rest.request("GET", "/partner/v2/mm/get_markets", z.looseObject({ markets: z.array(S.zMarket).nullish() }), { query: { event_id: eventId } })).markets ?? [];

  // ── wagers ──
  placeWager = async (w: PlaceWagerInput) =>
    (
      await this.rest.request("POST", "/partner/mm/place_wager", z.looseObject({ wager: S.zWager.partial().extend({ id: z.string() }) }), {
        body: { external_id: w.externalId, line_id: w.lineId, odds: w.odds, stake: centsToDollars(w.stakeCents), ...(w.strategy ? { wager_strategy: w.strategy } : {}) },
      })
    ).wager;
  /**
   * Places up to 20 wagers. Items refused with `opened_retry` (another wager of ours on that line is
   * still inactive, e.g. two wagers on one line in the same batch) are re-sent, same external ids, after
   * 300 ms, up to 5 times; a failed re-send leaves them failed without losing the earlier successes.
   */
  placeMultipleWagers = async (ws: PlaceWagerInput[]) => {
    if (ws.length === 0 || ws.length > 20) throw new RangeError(`batch size must be 1..20, got ${ws.length}`);
    const send = (items: PlaceWagerInput[]) =>
      this.rest.request("POST", "/partner/mm/place_multiple_wagers", S.zPlaceBatchData, {
        body: { data: items.map((w) => ({ external_id: w.externalId, line_id: w.lineId, odds: w.odds, stake: centsToDollars(w.stakeCents), ...(w.strategy ? { wager_strategy: w.strategy } : {}) })) },
      });
    const first = await send(ws);
    const succeed = [...first.succeed_wagers];
    let failed = [...first.failed_wagers];
    const retryable = (f: (typeof failed)[number]) => f.error === "opened_retry" || f.error === "wager_opened_retry";
    for (let attempt = 0; attempt < 5 && failed.some(retryable); attempt++) {
      const again = failed.filter(retryable);
      const items = ws.filter((w) => again.some((f) => f.external_id === w.externalId));
      await new Promise((r) => setTimeout(r, 300));
      try {
        const r = await send(items);
        succeed.push(...r.succeed_wagers);
        failed = [...failed.filter((f) => !retryable(f)), ...r.failed_wagers];
      } catch (err) {
        failed = [...failed.filter((f) => !retryable(f)), ...items.map((w) => ({ external_id: w.externalId, error: "retry_failed", message: String(err).slice(0, 200) }))];
      }
    }
    return { ...first, succeed_wagers: succeed, failed_wagers: failed };
  };
  cancelWager = (c: CancelRef) => this.rest.request("POST", "/partner/mm/cancel_wager", zAny, { body: { wager_id: c.wagerId, external_id: c.externalId } });
  cancelMultipleWagers = (cs: CancelRef[]) =>
    this.rest.request("POST", "/partner/mm/cancel_multiple_wagers", zAny, { body: { data: cs.map((c) => ({ wager_id: c.wagerId, external_id: c.externalId })) } });
  /** Cancel every open wager; "nothing to cancel" (404) counts as success. */
  cancelAllWagers = async (): Promise<void> => {
    try {
      await this.rest.request("POST", "/partner/mm/cancel_all_wagers", zAny, { body: {} });
    } catch (err) {
      if (!isPxCode(err, "no_cancellable_wagers", "data_not_found")) throw err;
    }
  };
  cancelWagersByEvent = (eventId: number) => this.rest.request("POST", "/partner/mm/cancel_wagers_by_event", zAny, { body: { event_id: eventId } });
  cancelWagersByMarket = (eventId: number, marketId: number, lineId?: string) =>
    this.rest.request("POST", "/partner/mm/cancel_wagers_by_market", zAny, { body: { event_id: eventId, market_id: marketId, ...(lineId ? { line_id: lineId } : {}) } });
  getWager = async (wagerId: string) => {
    const d = await this.rest.request("GET", `/partner/mm/get_wager/${encodeURIComponent(wagerId)}`, z.union([z.looseObject({ wager: S.zWager }), S.zWager]));
    return "wager" in d && d.wager && typeof d.wager === "object" ? (d.wager as S.PxWager) : (d as S.PxWager);
  };
  getWagerHistories = async (q: { fromS: number; toS: number; status?: string; limit?: number }) =>
    (
      await this.rest.request("GET", "/partner/v2/mm/get_wager_histories", z.looseObject({ wagers: z.array(S.zWager).nullish() }), {
        query: { from: q.fromS, to: q.toS, status: q.status, limit: q.limit ?? 1000 },
      })
    ).wagers ?? [];

  // ── sockets ──
  getConnectionConfig = (product: "mm" | "sp") =>
    this.rest.request("GET", product === "mm" ? "/partner/websocket/connection-config" : "/parlay/sp/websocket/connection-config", S.zConnectionConfig, { raw: true });
  register = (product: "mm" | "sp", socketId: string, channelName?: string) =>
    this.rest.request("POST", product === "mm" ? "/partner/mm/pusher" : "/parlay/sp/websocket/register", S.zRegisterResponse, {
      raw: true,
      body: { socket_id: socketId, ...(channelName ? { channel_name: channelName } : {}) },
      maxRetries: 3,
    });

  // ── parlay SP ──
  sendSupportedLines = (lineIds: string[]) => this.rest.request("POST", "/parlay/sp/supported-lines", zAny, { body: { supported_lines: lineIds } });
  deleteSupportedLines = (lineIds: string[]) => this.rest.request("DELETE", "/parlay/sp/supported-lines", zAny, { body: { supported_lines: lineIds } });
  /** POST offers to the RFQ's callback_url (never a path we build). Few retries: the window is short. */
  sendOffers = (callbackUrl: string, parlayId: string, tiers: OfferTier[]) =>
    this.rest.request("POST", callbackUrl, zAny, {
      maxRetries: 1,
      timeoutMs: 2_000,
      maxQueueWaitMs: 1_000,
      body: {
        parlay_id: parlayId,
        offers: tiers.map((t) => ({
          valid_until: rawNs(t.validUntilNs),
          odds: t.odds,
          max_risk: centsToDollars(t.maxRiskCents),
          estimated_price: t.estimatedPrice.map((e) => ({ line_id: e.lineId, odds: e.odds })),
        })),
      },
    });
  sendConfirmation = (callbackUrl: string, c: ConfirmationBody, timeoutMs: number) =>
    this.rest.request("POST", callbackUrl, zAny, {
      maxRetries: 1,
      timeoutMs,
      maxQueueWaitMs: timeoutMs,
      body: {
        action: c.action,
        confirmed_odds: c.confirmedOdds,
        ...(c.confirmedStakeCents !== undefined ? { confirmed_stake: centsToDollars(c.confirmedStakeCents) } : {}),
        ...(c.orderUuid ? { order_uuid: c.orderUuid } : {}),
        price_probability: c.priceProbability.map((p) => ({ max_risk: centsToDollars(p.maxRiskCents), lines: p.lines.map((l) => ({ line_id: l.lineId, probability: l.probability })) })),
      },
    });
  getSpOrders = async (q: { status?: string; relative?: string; limit?: number } = {}): Promise<S.PxSpOrder[]> => {
    const out: S.PxSpOrder[] = [];
    let token: string | undefined;
    for (let page = 0; page < 20; page++) {
      const d = await this.rest.request("GET", "/parlay/sp/orders", z.looseObject({ orders: z.array(S.zSpOrder).nullish(), token: z.string().nullish() }), {
        query: { limit: q.limit ?? 100, status: q.status, relative: q.relative, token },
      });
      out.push(...(d.orders ?? []));
      if (!d.token || (d.orders ?? []).length === 0) break;
      token = d.token;
    }
    return out;
  };
}

/** ns timestamps go out as JSON integers; JSON.stringify cannot write a bigint, so use a safe number
 * when exact, else the nearest double (the exchange compares with seconds of slack). */
const rawNs = (ns: string): number => Number(ns);
