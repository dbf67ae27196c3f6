// MM wagers: placement with the reference's validation and error codes, the short asynchronous
// activation window (inactive → open; `opened_retry` / `wager_is_placing` happen there), crossing
// against the book at activation, resting liquidity, fills by simulated takers, cancels, wipes at
// kick-off, settlement and the private `wagers` events of every step. Balances in cents.

import { americanToDecimal, decimalToAmericanExact } from "../../lib/odds/american";
import { isOnLadder } from "../../lib/odds/ladder";
import { profitCentsAtAmerican } from "../../lib/money/cents";
import type { Fill } from "../../lib/simulation/book";
import type { Account } from "./accounts";
import { mmPrivateChannel } from "./channels";
import { ApiError } from "./http";
import type { MmFeed } from "./mm-feed";
import type { PusherServer } from "./pusher-server";
import { wagerJson } from "./serialize";
import type { TimerHandle, TimerQueue } from "./timer-queue";
import { nowNs, toJson } from "./wire";
import type { EventRuntime, LineRef, LineRuntime, WorldListener, WorldRuntime } from "./world-runtime";

export type WagerStatus = "inactive" | "open" | "canceled" | "invalid" | "void" | "wiped" | "settled" | "closed";
export type WinningStatus = "tbd" | "won" | "lost" | "push";

export interface Wager {
  readonly id: string;
  readonly externalId: string;
  readonly account: Account;
  readonly lineId: string;
  readonly eventId: number;
  readonly tournamentId: number;
  readonly marketId: number;
  readonly marketLineId: number;
  readonly outcomeId: number;
  readonly outcomeBit: number;
  readonly outcomeIndex: number;
  readonly line: number | null;
  readonly odds: number;
  readonly stakeCents: number;
  readonly potentialProfitCents: number;
  readonly strategy: string | null;
  status: WagerStatus;
  matchedCents: number;
  /** What the matched part wins (sum over fills). */
  matchedProfitCents: number;
  averageMatchedOdds: number;
  /** Σ matched stake × decimal odds of each fill (for the stake-weighted average price). */
  matchedDecimalWeight: number;
  /** Reserved and not matched: resting in the book or waiting for activation. */
  unmatchedCents: number;
  winningStatus: WinningStatus;
  settledProfitCents: number | null;
  resting: boolean;
  sequence: number;
  readonly createdNs: bigint;
  readonly createdMs: number;
  updatedNs: bigint;
  fokTimer: TimerHandle | undefined;
}

export interface MatchedBetRecord {
  readonly id: string;
  readonly wager: Wager;
  readonly stakeCents: number;
  readonly profitCents: number;
  readonly odds: number;
  readonly matchedNs: bigint;
  readonly matchedMs: number;
}

export interface WagerOptions {
  readonly activationDelayMs: number;
  readonly fillOrKillMs: number;
  readonly wipeOnLive: boolean;
  readonly settleToCloseMs: number;
  readonly maxWagersRetained: number;
  readonly maxMatchedBetsRetained: number;
}

const EXTERNAL_ID = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_STAKE_DOLLARS = 100_000_000;

const isWholeCents = (x: number): boolean => Math.abs(Math.round(x * 100) - x * 100) < 1e-6;

export class WagerService implements WorldListener {
  private readonly byId = new Map<string, Wager>();
  private readonly byExternal = new Map<string, Wager>();
  /** Unsettled wagers per event. */
  private readonly byEvent = new Map<number, Set<Wager>>();
  private readonly activating = new Map<string, number>();
  private readonly matched: MatchedBetRecord[] = [];
  private idSeq = 0;
  private fillSeq = 0;
  private readonly accountSeq = new Map<string, number>();
  private readonly balanceCache = new Map<string, { matchedCents: number; unmatchedCents: number }>();
  private sincePrune = 0;
  placed = 0;
  fills = 0;

  constructor(
    private readonly world: WorldRuntime,
    private readonly feed: MmFeed,
    private readonly pusher: PusherServer,
    private readonly timers: TimerQueue,
    private readonly opts: WagerOptions,
  ) {}

  get(id: string): Wager | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  private nextSeq(account: Account): number {
    const n = (this.accountSeq.get(account.partnerId) ?? Number(nowNs() / 1000n)) + 1;
    this.accountSeq.set(account.partnerId, n);
    return n;
  }

  private emit(w: Wager, updateType: "status" | "matching", fill?: { stakeCents: number; odds: number }): void {
    // Every state change of a wager passes here: the account's cached balances are stale now.
    this.balanceCache.delete(w.account.partnerId);
    w.updatedNs = nowNs();
    w.sequence = this.nextSeq(w.account);
    const channel = mmPrivateChannel(w.account.partnerId);
    if (!this.pusher.hasSubscribers(channel)) return;
    const payload = Buffer.from(toJson({ info: wagerJson(w, updateType, w.sequence, fill) }), "utf8").toString("base64");
    const envelope = { timestamp: nowNs(), change_type: "wagers", payload, op: w.status === "inactive" ? "c" : "u" };
    this.pusher.publish(channel, "wagers", toJson(envelope), "wagers");
  }

  /** Validate and accept one wager (reserving its stake); activation follows asynchronously. */
  place(account: Account, body: Record<string, unknown>): Wager {
    const externalId = body.external_id;
    if (typeof externalId !== "string" || !EXTERNAL_ID.test(externalId)) {
      throw new ApiError(400, "invalid_external_id", "external_id: 1–100 characters of A-Z a-z 0-9 _ -");
    }
    const lineId = body.line_id;
    if (typeof lineId !== "string" || !lineId) throw new ApiError(400, "invalid_line_id", "line_id is required");
    const ref = this.world.line(lineId);
    if (!ref) throw new ApiError(400, "invalid_line_id", `unknown line_id ${lineId}`);
    const odds = body.odds;
    if (typeof odds !== "number" || !Number.isInteger(odds) || !isOnLadder(odds)) {
      throw new ApiError(400, "wager_invalid_odds", "odds must be an integer from the odds ladder");
    }
    const stake = body.stake;
    if (typeof stake !== "number" || !Number.isFinite(stake) || stake <= 0 || !isWholeCents(stake)) {
      throw new ApiError(400, "invalid_stake", "stake must be a positive amount in dollars with at most 2 decimals");
    }
    if (stake > MAX_STAKE_DOLLARS) throw new ApiError(400, "wager_stake_exceeds_max", "stake exceeds 100,000,000");
    const stakeCents = Math.round(stake * 100);
    const potentialProfitCents = profitCentsAtAmerican(stakeCents, odds);
    if (potentialProfitCents < 1) throw new ApiError(400, "wager_invalid_profit", "the wager's profit must be at least 1 cent");
    const strategy = body.wager_strategy ?? null;
    if (strategy !== null && strategy !== "fillOrKill") {
      throw new ApiError(400, "invalid_param", "wager_strategy must be fillOrKill or absent");
    }
    const extKey = `${account.partnerId}:${externalId}`;
    if (this.byExternal.has(extKey)) throw new ApiError(400, "wager_external_id_existed", `external_id ${externalId} already used`);
    if (ref.event.status === "ended" || ref.line.status !== "active") {
      throw new ApiError(400, "event_not_available", "the event is closed for betting");
    }
    const lineKey = `${account.partnerId}:${lineId}`;
    if ((this.activating.get(lineKey) ?? 0) > 0) {
      throw new ApiError(500, "opened_retry", "a wager on this line is in the first matching queue; retry after 300 ms");
    }
    if (account.balanceCents < stakeCents) throw new ApiError(403, "insufficient_amount", "insufficient balance");

    account.balanceCents -= stakeCents;
    const nowMs = Date.now();
    const w: Wager = {
      id: `${account.partnerId.replace(/-/g, "").slice(0, 8)}${nowMs.toString(16)}${(++this.idSeq).toString(16).padStart(8, "0")}`,
      externalId,
      account,
      lineId,
      eventId: ref.event.def.eventId,
      tournamentId: ref.event.def.tournamentId,
      marketId: ref.line.def.marketId,
      marketLineId: ref.line.def.id,
      outcomeId: ref.outcome.outcomeId,
      outcomeBit: ref.outcome.bit,
      outcomeIndex: ref.outcomeIndex,
      line: ref.outcome.line,
      odds,
      stakeCents,
      potentialProfitCents,
      strategy: strategy as string | null,
      status: "inactive",
      matchedCents: 0,
      matchedProfitCents: 0,
      averageMatchedOdds: odds,
      matchedDecimalWeight: 0,
      unmatchedCents: stakeCents,
      winningStatus: "tbd",
      settledProfitCents: null,
      resting: false,
      sequence: 0,
      createdNs: nowNs(),
      createdMs: nowMs,
      updatedNs: nowNs(),
      fokTimer: undefined,
    };
    this.byId.set(w.id, w);
    this.byExternal.set(extKey, w);
    let set = this.byEvent.get(w.eventId);
    if (!set) {
      set = new Set();
      this.byEvent.set(w.eventId, set);
    }
    set.add(w);
    this.activating.set(lineKey, (this.activating.get(lineKey) ?? 0) + 1);
    this.placed++;
    this.emit(w, "status");
    this.timers.after(this.opts.activationDelayMs, () => {
      const left = (this.activating.get(lineKey) ?? 1) - 1;
      if (left <= 0) this.activating.delete(lineKey);
      else this.activating.set(lineKey, left);
      this.activate(w);
    });
    this.prune();
    return w;
  }

  private activate(w: Wager): void {
    if (w.status !== "inactive") return;
    const ref = this.world.line(w.lineId);
    if (!ref || ref.event.status === "ended" || ref.line.status !== "active") {
      w.status = "invalid";
      w.account.balanceCents += w.unmatchedCents;
      w.unmatchedCents = 0;
      this.emit(w, "status");
      this.done(w);
      return;
    }
    w.status = "open";
    this.emit(w, "status");
    // Cross against resting liquidity that pays at least our odds (we are the taker here).
    const fills = ref.line.book.take(ref.outcomeIndex, w.unmatchedCents, w.odds, (o) => o.owner === w.account.partnerId);
    for (const f of fills) {
      this.applyTakerFill(w, ref, f);
      this.notifyMaker(ref, f);
    }
    if (fills.length > 0) this.feed.markDirty(ref.line);
    if (w.unmatchedCents > 0) {
      ref.line.book.addMaker(w.id, w.account.partnerId, ref.outcomeIndex, w.odds, w.unmatchedCents);
      ref.line.accountOrders++;
      w.resting = true;
      this.feed.markDirty(ref.line);
      if (w.strategy === "fillOrKill") {
        w.fokTimer = this.timers.after(this.opts.fillOrKillMs, () => {
          if (w.status === "open" && w.unmatchedCents > 0) this.cancelRemainder(w);
        });
      }
    }
  }

  private record(w: Wager, stakeCents: number, profitCents: number, odds: number): void {
    this.fills++;
    this.matched.push({ id: `mb-${++this.fillSeq}`, wager: w, stakeCents, profitCents, odds, matchedNs: nowNs(), matchedMs: Date.now() });
    if (this.matched.length > this.opts.maxMatchedBetsRetained) this.matched.splice(0, this.matched.length - this.opts.maxMatchedBetsRetained);
  }

  /** Stake-weighted average price of the fills (exactly the fill price when there is one price). */
  private updateAverage(w: Wager, fillStakeCents: number, fillOdds: number): void {
    w.matchedDecimalWeight += fillStakeCents * americanToDecimal(fillOdds);
    if (w.matchedCents > 0) w.averageMatchedOdds = Math.round(decimalToAmericanExact(w.matchedDecimalWeight / w.matchedCents));
  }

  /** Our wager took resting liquidity: we staked `takerCents` at the resting order's taker odds. */
  private applyTakerFill(w: Wager, ref: LineRef, f: Fill): void {
    w.matchedCents += f.takerCents;
    w.matchedProfitCents += f.makerCents;
    w.unmatchedCents -= f.takerCents;
    this.updateAverage(w, f.takerCents, f.takerOdds);
    this.record(w, f.takerCents, f.makerCents, f.takerOdds);
    this.emit(w, "matching", { stakeCents: f.takerCents, odds: f.takerOdds });
    if (ref.line.def.outcomes.length === 2) {
      this.feed.matchedBet(ref.line, 1 - w.outcomeIndex, f.order.makerOdds, f.makerCents);
    } else {
      this.feed.matchedBet(ref.line, w.outcomeIndex, f.takerOdds, f.takerCents);
    }
  }

  /** A resting order of an account was hit. */
  private notifyMaker(ref: LineRef, f: Fill): void {
    if (f.order.owner === "lp") return;
    this.onMakerFill(ref.line, f, false);
  }

  /** Fill of our resting wager (called by market activity and crossing wagers). */
  onMakerFill(line: LineRuntime, f: Fill, print = true): void {
    const w = this.byId.get(f.order.id);
    if (!w) return;
    w.matchedCents += f.makerCents;
    w.matchedProfitCents += f.takerCents;
    w.unmatchedCents -= f.makerCents;
    if (f.order.remainingCents <= 0 && w.resting) {
      w.resting = false;
      line.accountOrders = Math.max(0, line.accountOrders - 1);
    }
    this.updateAverage(w, f.makerCents, w.odds);
    this.record(w, f.makerCents, f.takerCents, w.odds);
    this.emit(w, "matching", { stakeCents: f.makerCents, odds: w.odds });
    if (print) this.feed.matchedBet(line, w.outcomeIndex, w.odds, f.makerCents);
  }

  private unrest(w: Wager): void {
    if (!w.resting) return;
    const ref = this.world.line(w.lineId);
    w.resting = false;
    if (ref) {
      ref.line.book.remove(w.id);
      ref.line.accountOrders = Math.max(0, ref.line.accountOrders - 1);
      this.feed.markDirty(ref.line);
    }
  }

  /** Take the unmatched part off the book and refund it; returns the status afterwards. */
  private cancelRemainder(w: Wager, statusIfUnmatched: WagerStatus = "canceled"): void {
    this.unrest(w);
    w.fokTimer?.cancel();
    w.fokTimer = undefined;
    w.account.balanceCents += w.unmatchedCents;
    w.unmatchedCents = 0;
    // A partly matched wager stays open with its matched part (matching_status fully_matched).
    if (w.matchedCents === 0) {
      w.status = statusIfUnmatched;
      this.done(w);
    }
    this.emit(w, "status");
  }

  private done(w: Wager): void {
    this.byEvent.get(w.eventId)?.delete(w);
  }

  private ownedOrThrow(account: Account, wagerId: unknown): Wager {
    if (typeof wagerId !== "string" || !wagerId) throw new ApiError(400, "invalid_wager_id", "wager_id is required");
    const w = this.byId.get(wagerId);
    if (!w || w.account !== account) throw new ApiError(404, "data_not_found", `wager ${wagerId} not found`);
    return w;
  }

  /** Cancel one wager with the reference's failure codes. */
  cancel(account: Account, wagerId: unknown, externalId: unknown): Wager {
    const w = this.ownedOrThrow(account, wagerId);
    if (externalId !== w.externalId) throw new ApiError(400, "wager_not_matching_external_id", "external_id does not match the wager");
    if (w.status === "inactive") throw new ApiError(409, "wager_is_placing", "the wager is still being placed; retry later");
    if (w.status === "canceled") throw new ApiError(400, "wager_already_cancelled", "the wager is already cancelled");
    if (w.status !== "open") throw new ApiError(400, "wager_is_invalid", `the wager is ${w.status}`);
    if (w.unmatchedCents <= 0) throw new ApiError(400, "wager_already_matched", "the wager is fully matched");
    this.cancelRemainder(w);
    return w;
  }

  /** Cancel every cancellable wager matching `filter` (inactive ones included). */
  cancelWhere(account: Account, filter: (w: Wager) => boolean): Wager[] {
    const out: Wager[] = [];
    for (const set of this.byEvent.values()) {
      for (const w of set) {
        if (w.account !== account || !filter(w)) continue;
        if ((w.status === "open" || w.status === "inactive") && w.unmatchedCents > 0) {
          if (w.status === "inactive") {
            w.account.balanceCents += w.unmatchedCents;
            w.unmatchedCents = 0;
            w.status = "canceled";
            this.emit(w, "status");
            out.push(w);
            continue;
          }
          this.cancelRemainder(w);
          out.push(w);
        }
      }
    }
    for (const w of out) if (w.status === "canceled") this.done(w);
    return out;
  }

  onLive(ev: EventRuntime): void {
    if (!this.opts.wipeOnLive) return;
    for (const w of [...(this.byEvent.get(ev.def.eventId) ?? [])]) {
      if ((w.status === "open" || w.status === "inactive") && w.unmatchedCents > 0) {
        if (w.status === "inactive") {
          w.account.balanceCents += w.unmatchedCents;
          w.unmatchedCents = 0;
          w.status = "wiped";
          this.emit(w, "status");
          this.done(w);
        } else {
          this.cancelRemainder(w, "wiped");
        }
      }
    }
  }

  onEnded(ev: EventRuntime): void {
    const set = this.byEvent.get(ev.def.eventId);
    if (!set) return;
    for (const w of [...set]) {
      if (w.unmatchedCents > 0 && (w.status === "open" || w.status === "inactive")) {
        if (w.status === "inactive") {
          w.account.balanceCents += w.unmatchedCents;
          w.unmatchedCents = 0;
          w.status = "canceled";
          this.emit(w, "status");
        } else {
          this.cancelRemainder(w);
        }
      }
      if (w.matchedCents > 0 && w.status === "open") this.settle(w, ev);
    }
    this.byEvent.delete(ev.def.eventId);
  }

  private settle(w: Wager, ev: EventRuntime): void {
    const result = ev.results?.[w.outcomeBit] ?? "lost";
    if (result === "won") {
      w.account.balanceCents += w.matchedCents + w.matchedProfitCents;
      w.settledProfitCents = w.matchedProfitCents;
      w.winningStatus = "won";
      w.status = "settled";
      this.emit(w, "status");
      this.timers.after(this.opts.settleToCloseMs, () => {
        w.status = "closed";
        this.emit(w, "status");
      });
      return;
    }
    if (result === "push") {
      w.account.balanceCents += w.matchedCents;
      w.settledProfitCents = 0;
      w.winningStatus = "push";
    } else {
      w.settledProfitCents = -w.matchedCents;
      w.winningStatus = "lost";
    }
    w.status = "closed";
    this.emit(w, "status");
  }

  onUnlisted(ev: EventRuntime): void {
    this.byEvent.delete(ev.def.eventId);
  }

  /** Balances as get_balance reports them (cents). */
  balances(account: Account): { matchedCents: number; unmatchedCents: number } {
    const cached = this.balanceCache.get(account.partnerId);
    if (cached) return cached;
    let matchedCents = 0;
    let unmatchedCents = 0;
    for (const set of this.byEvent.values()) {
      for (const w of set) {
        if (w.account !== account) continue;
        unmatchedCents += w.unmatchedCents;
        if (w.status === "open" || w.status === "inactive") matchedCents += w.matchedCents;
      }
    }
    const result = { matchedCents, unmatchedCents };
    this.balanceCache.set(account.partnerId, result);
    return result;
  }

  /** Wagers of an account created in [fromMs, toMs], newest first. */
  history(account: Account, fromMs: number, toMs: number, filter: (w: Wager) => boolean): Wager[] {
    const out: Wager[] = [];
    for (const w of this.byId.values()) {
      if (w.account === account && w.createdMs >= fromMs && w.createdMs <= toMs && filter(w)) out.push(w);
    }
    return out.reverse();
  }

  matchedBets(account: Account, fromMs: number, toMs: number): MatchedBetRecord[] {
    return this.matched.filter((m) => m.wager.account === account && m.matchedMs >= fromMs && m.matchedMs <= toMs).reverse();
  }

  /** Keep memory bounded: forget the oldest finished wagers beyond the retention cap. */
  private prune(): void {
    if (this.byId.size <= this.opts.maxWagersRetained || ++this.sincePrune < 1000) return;
    this.sincePrune = 0;
    for (const [id, w] of this.byId) {
      if (this.byId.size <= this.opts.maxWagersRetained * 0.9) break;
      if (w.status === "open" || w.status === "inactive" || w.status === "settled") continue;
      this.byId.delete(id);
      this.byExternal.delete(`${w.account.partnerId}:${w.externalId}`);
    }
  }
}
