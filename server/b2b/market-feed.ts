// Live prices: the server polls the affiliate API every `pollMs` (default 3 s) and keeps the latest
// board in memory; the browser refetches /api/odds/markets with react-query at the same interval
// (chosen over push: one poller per server, cheap GETs from browsers, no extra socket). The poller
// starts on the first request and stops after `idleStopMs` without one.
import { buildSports, parseMultipleMarkets, parseSportEvents, parseTournaments, selectionsByLine, type OddsBoard, type OddsMarket, type ParsedEvent } from "../../lib/b2b/odds-board.ts";
import { PxApiError, type AffiliateClient } from "./px-client.ts";

export type MarketFeedOptions = { pollMs: number; tournaments: string[] | null; idleStopMs?: number; now?: () => number };

export class MarketFeed {
  private board: OddsBoard;
  private lines = new Map<string, { odds: number }>();
  private timer: NodeJS.Timeout | null = null;
  private inflight: Promise<void> | null = null;
  private lastRequest = 0;

  constructor(
    private readonly client: AffiliateClient,
    private readonly opts: MarketFeedOptions,
  ) {
    this.board = { sports: [], updatedAt: null, error: null, stale: false, pollMs: opts.pollMs };
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** One poll: tournaments → events → markets (≤ 50 event ids per call). */
  async refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.inflight = (async () => {
      try {
        const tournaments = parseTournaments(await this.client.getTournaments());
        const wanted = this.opts.tournaments ? tournaments.filter((t) => this.opts.tournaments!.includes(t.id)) : tournaments;
        // Configured ids missing from get_tournaments are still asked for directly.
        for (const id of this.opts.tournaments ?? []) if (!wanted.some((t) => t.id === id)) wanted.push({ id, name: "", sportName: "Other" });
        const events: ParsedEvent[] = [];
        for (const t of wanted) events.push(...parseSportEvents(await this.client.getSportEvents(t.id), { tournamentId: t.id, tournamentName: t.name, sportName: t.sportName }));
        const markets = new Map<string, OddsMarket[]>();
        for (let i = 0; i < events.length; i += 50) {
          const chunk = events.slice(i, i + 50).map((e) => e.id);
          for (const [k, v] of parseMultipleMarkets(await this.client.getMultipleMarkets(chunk))) markets.set(k, v);
        }
        const sports = buildSports(events, markets);
        this.board = { sports, updatedAt: new Date(this.now()).toISOString(), error: null, stale: false, pollMs: this.opts.pollMs };
        this.lines = new Map([...selectionsByLine(sports)].map(([k, v]) => [k, { odds: v.odds }]));
      } catch (err) {
        const msg = err instanceof PxApiError ? (err.code === "network_error" ? "The market data feed is unreachable." : `The market data feed failed (${err.code}).`) : "The market data feed failed.";
        this.board = { ...this.board, error: msg, stale: this.board.updatedAt !== null };
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  /** The current board, polling first if we have none yet; keeps the poller alive. */
  async current(): Promise<OddsBoard> {
    this.lastRequest = this.now();
    this.ensurePolling();
    if (this.board.updatedAt === null) await this.refresh();
    return this.board;
  }

  /** Is this a line id we have seen on the board (the stored line_ids)? */
  knowsLine(lineId: string): boolean {
    return this.lines.has(lineId);
  }

  private ensurePolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.now() - this.lastRequest > (this.opts.idleStopMs ?? 60_000)) return this.stop();
      void this.refresh();
    }, this.opts.pollMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
