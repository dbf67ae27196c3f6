// Simulated liquidity providers and takers on the MM books. Providers requote every line around a
// noisy view of the truth (and at once when the truth moves); sharp takers pick off resting orders
// whose price beats the truth; recreational takers trade small amounts at a loss. A provider quote
// that would cross a resting account order trades with it first, so the book never stays crossed.

import { decimalToAmericanExact } from "../../lib/odds/american";
import {
  arrivalProbability,
  noisyEstimates,
  quoteLine,
  sharpHitRate,
  takerEdge,
  type LpConfig,
  type TakerConfig,
} from "../../lib/simulation/liquidity";
import { negateOdds, type Fill } from "../../lib/simulation/book";
import { profitCentsAtAmerican } from "../../lib/money/cents";
import type { Rng } from "../../lib/simulation/rng";
import type { MmFeed } from "./mm-feed";
import type { WagerService } from "./wagers";
import type { EventRuntime, LineRuntime, WorldListener, WorldRuntime } from "./world-runtime";

export interface MarketActivityOptions {
  readonly liquidity: boolean;
  readonly takers: boolean;
  readonly lp: LpConfig;
  readonly taker: TakerConfig;
  /** Mean time between requotes of one line (wall ms). */
  readonly lpRequoteMs: number;
  /** Step of the providers' log-odds pricing error per requote. */
  readonly lpNoiseSd: number;
  readonly maxRequotesPerStep: number;
}

const LP = "lp";

export class MarketActivity implements WorldListener {
  private lpSeq = 0;
  lpRequotes = 0;
  takerTrades = 0;

  constructor(
    private readonly world: WorldRuntime,
    private readonly wagers: WagerService,
    private readonly feed: MmFeed,
    private readonly rng: Rng,
    readonly opts: MarketActivityOptions,
  ) {}

  onListed(ev: EventRuntime): void {
    if (!this.opts.liquidity) return;
    for (const line of ev.lines) this.requote(line, Date.now());
  }

  onTruthChanged(ev: EventRuntime): void {
    if (ev.status === "ended") return;
    for (const line of ev.lines) line.nextRequoteWallMs = 0;
  }

  onEnded(ev: EventRuntime): void {
    for (const line of ev.lines) {
      if (line.book.removeOwner(LP) > 0) this.feed.markDirty(line);
    }
  }

  private truthOf(line: LineRuntime): number[] {
    return line.def.outcomes.map((o) => line.event.marginals[o.bit] ?? 0);
  }

  /** Replace the providers' quotes on a line. */
  requote(line: LineRuntime, wallNow: number): void {
    if (line.status !== "active" || line.event.status === "ended") return;
    this.lpRequotes++;
    line.lpNoise = line.lpNoise.map((n) => 0.85 * n + this.rng.normal(0, this.opts.lpNoiseSd));
    const estimates = noisyEstimates(this.truthOf(line), line.lpNoise);
    line.book.removeOwner(LP);
    const book = line.book;
    for (const q of quoteLine(estimates, this.opts.lp, this.rng)) {
      let stake = q.makerStakeCents;
      if (line.accountOrders > 0) {
        // The provider backs the other side at −takerOdds: as a taker it first hits any resting
        // account order paying at least that.
        const list = book.listIndexForMaker(q.takerOutcome);
        const fills = book.take(list, stake, negateOdds(q.takerOdds), (o) => o.owner === LP);
        for (const f of fills) {
          stake -= f.takerCents;
          this.wagers.onMakerFill(line, f);
        }
      }
      if (stake > 0) book.addOffer(`lp-${++this.lpSeq}`, LP, q.takerOutcome, q.takerOdds, stake);
    }
    line.nextRequoteWallMs = wallNow + this.opts.lpRequoteMs * (0.5 + this.rng.next());
    this.feed.markDirty(line);
  }

  /** One step of market life: requotes due, then taker flow over `dtMs`. */
  step(dtMs: number, wallNow: number): void {
    const active: LineRuntime[] = [];
    for (const ev of this.world.events.values()) {
      if (ev.status === "ended") continue;
      for (const line of ev.lines) if (line.status === "active") active.push(line);
    }
    if (this.opts.liquidity) {
      let budget = this.opts.maxRequotesPerStep;
      for (const line of active) {
        if (budget <= 0) break;
        if (line.nextRequoteWallMs <= wallNow) {
          budget--;
          this.requote(line, wallNow);
        }
      }
    }
    if (!this.opts.takers || dtMs <= 0) return;
    for (const line of active) if (line.accountOrders > 0) this.sharpPass(line, dtMs);
    this.recreationalPass(active, dtMs);
  }

  /** Probability that a taker hitting `list` wins (backing outcome i, or laying it for hidden lists). */
  private listProbability(line: LineRuntime, list: number): number {
    const n = line.def.outcomes.length;
    const truth = this.truthOf(line);
    return list < n ? truth[list]! : 1 - truth[list - n]!;
  }

  private minOddsForEdge(p: number, edge: number): number | undefined {
    const dec = (1 + edge) / Math.max(1e-6, p);
    if (!(dec > 1.0001)) return undefined;
    return decimalToAmericanExact(dec);
  }

  private sharpPass(line: LineRuntime, dtMs: number): void {
    const n = line.def.outcomes.length;
    const lists = n === 2 ? [0, 1] : [0, 1, 2, 3, 4, 5];
    for (const list of lists) {
      const orders = line.book.orders(list);
      const best = orders.find((o) => o.owner !== LP && o.remainingCents > 0);
      if (!best) continue;
      const p = this.listProbability(line, list);
      const edge = takerEdge(p, best.takerOdds);
      const rate = sharpHitRate(edge, this.opts.taker);
      if (!this.rng.chance(arrivalProbability(rate, dtMs))) continue;
      const minOdds = this.minOddsForEdge(p, this.opts.taker.sharpMinEdge);
      if (minOdds === undefined) continue;
      const stake = Math.round(this.opts.taker.sharpMaxStakeCents * (0.2 + 0.8 * this.rng.next()));
      this.execute(line, list, stake, minOdds);
    }
  }

  private recreationalPass(active: readonly LineRuntime[], dtMs: number): void {
    if (active.length === 0) return;
    const expected = this.opts.taker.recreationalRatePerLine * active.length * (dtMs / 1000);
    let count = Math.floor(expected) + (this.rng.chance(expected - Math.floor(expected)) ? 1 : 0);
    while (count-- > 0) {
      const line = this.rng.pick(active);
      const list = this.rng.int(0, line.def.outcomes.length - 1);
      const p = this.listProbability(line, list);
      const minOdds = this.minOddsForEdge(p, this.opts.taker.recreationalMinEdge + this.rng.normal(0, 0.02));
      if (minOdds === undefined) continue;
      const stake = Math.round(500 + this.rng.next() * (this.opts.taker.recreationalMaxStakeCents - 500));
      this.execute(line, list, stake, minOdds);
    }
  }

  /** A taker hits `list` of a line: fills reported to makers, the public feed and the book. */
  execute(line: LineRuntime, list: number, takerStakeCents: number, minOdds: number): Fill[] {
    const fills = line.book.take(list, takerStakeCents, minOdds);
    if (fills.length === 0) return fills;
    this.takerTrades++;
    const n = line.def.outcomes.length;
    for (const f of fills) this.report(line, list, n, f);
    this.feed.markDirty(line);
    return fills;
  }

  private report(line: LineRuntime, list: number, n: number, f: Fill): void {
    if (f.order.owner !== LP) {
      this.wagers.onMakerFill(line, f);
      return;
    }
    if (n === 2) this.feed.matchedBet(line, 1 - list, f.order.makerOdds, f.makerCents);
    else this.feed.matchedBet(line, list % n, f.takerOdds, profitCentsAtAmerican(f.makerCents, f.order.makerOdds));
  }
}
