// The order book of one market line (2 outcomes, or 3 for a 1X2 market), exchange style.
//
// A maker "backs" outcome X at American odds o with a stake. Takers see that liquidity as the
// chance to back the *other* outcome at the negated odds −o (prophetx-protocol.md §2.3). So the
// book keeps, per outcome, the list of resting orders a taker backing that outcome can hit,
// ordered by the taker's payout (best first), then by time.
//
// For a 3-way market there is no single "other" outcome: liquidity providers there post offers to
// back X directly (they lay X), and a maker wager backing X rests in a hidden "lay X" list that
// simulated takers can hit but that is not part of the displayed selections.
//
// Amounts are integer cents of the maker's stake. A maker stake s at odds o is matched by a taker
// stake of profit(s, o) = the maker's potential profit; the taker wins s.

import { americanToDecimal } from "../odds/american";
import { profitCentsAtAmerican } from "../money/cents";

export interface RestingOrder {
  readonly id: string;
  /** "lp" for simulated liquidity, an account id for real wagers. */
  readonly owner: string;
  /** Odds a taker gets (American). */
  readonly takerOdds: number;
  /** The maker's own odds, −takerOdds (+100 for even money). */
  readonly makerOdds: number;
  /** Unmatched maker stake, cents. */
  remainingCents: number;
  readonly seq: number;
  /** Index of the list this order rests in (see `listIndexForMaker`). */
  readonly list: number;
  readonly displayed: boolean;
}

export interface BookLevel {
  /** Odds a taker gets. */
  readonly odds: number;
  /** Total taker stake the level can absorb (cents). */
  readonly stakeCents: number;
  /** Total the taker would win = makers' stakes (cents). */
  readonly valueCents: number;
}

export interface Fill {
  readonly order: RestingOrder;
  /** Maker stake consumed (cents). */
  readonly makerCents: number;
  /** Taker stake matched (cents). */
  readonly takerCents: number;
  readonly takerOdds: number;
}

/** −odds on the American scale, with even money written +100 (−100 is not a valid price). */
export const negateOdds = (odds: number): number => (odds === 100 || odds === -100 ? 100 : -odds);

const payout = (odds: number): number => americanToDecimal(odds);

export class LineBook {
  readonly outcomeCount: number;
  /** lists[0..n−1]: displayed, takers back outcome i; lists[n..2n−1]: hidden lay lists (3-way). */
  private readonly lists: RestingOrder[][];
  private seq = 0;
  private readonly byId = new Map<string, RestingOrder>();

  constructor(outcomeCount: number) {
    if (outcomeCount < 2 || outcomeCount > 3) throw new RangeError(`outcomeCount must be 2 or 3, got ${outcomeCount}`);
    this.outcomeCount = outcomeCount;
    this.lists = Array.from({ length: outcomeCount * 2 }, () => []);
  }

  /** Where a maker backing outcome `makerOutcome` rests. */
  listIndexForMaker(makerOutcome: number): number {
    return this.outcomeCount === 2 ? 1 - makerOutcome : this.outcomeCount + makerOutcome;
  }

  /** The list a taker backing `outcome` hits. */
  listIndexForTakerBacking(outcome: number): number {
    return outcome;
  }

  /** The list a taker laying `outcome` (3-way only) hits. */
  listIndexForTakerLaying(outcome: number): number {
    return this.outcomeCount + outcome;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): RestingOrder | undefined {
    return this.byId.get(id);
  }

  /** Rest a maker order backing `makerOutcome` at `makerOdds`. */
  addMaker(id: string, owner: string, makerOutcome: number, makerOdds: number, stakeCents: number): RestingOrder {
    return this.insert(id, owner, this.listIndexForMaker(makerOutcome), negateOdds(makerOdds), stakeCents);
  }

  /** Rest an offer for takers backing `takerOutcome` at `takerOdds` (used by liquidity providers). */
  addOffer(id: string, owner: string, takerOutcome: number, takerOdds: number, makerStakeCents: number): RestingOrder {
    return this.insert(id, owner, this.listIndexForTakerBacking(takerOutcome), takerOdds, makerStakeCents);
  }

  private insert(id: string, owner: string, list: number, takerOdds: number, stakeCents: number): RestingOrder {
    if (this.byId.has(id)) throw new Error(`duplicate order id ${id}`);
    if (!(stakeCents > 0)) throw new RangeError(`stake must be positive, got ${stakeCents}`);
    const order: RestingOrder = {
      id,
      owner,
      takerOdds,
      makerOdds: negateOdds(takerOdds),
      remainingCents: Math.round(stakeCents),
      seq: ++this.seq,
      list,
      displayed: list < this.outcomeCount,
    };
    const arr = this.lists[list]!;
    const p = payout(takerOdds);
    let i = arr.length;
    while (i > 0 && payout(arr[i - 1]!.takerOdds) < p) i--;
    arr.splice(i, 0, order);
    this.byId.set(id, order);
    return order;
  }

  remove(id: string): RestingOrder | undefined {
    const order = this.byId.get(id);
    if (!order) return undefined;
    const arr = this.lists[order.list]!;
    const i = arr.indexOf(order);
    if (i >= 0) arr.splice(i, 1);
    this.byId.delete(id);
    return order;
  }

  /** Remove every order of an owner; returns how many. */
  removeOwner(owner: string): number {
    let n = 0;
    for (const arr of this.lists) {
      for (let i = arr.length - 1; i >= 0; i--) {
        const o = arr[i]!;
        if (o.owner === owner) {
          arr.splice(i, 1);
          this.byId.delete(o.id);
          n++;
        }
      }
    }
    return n;
  }

  orders(list: number): readonly RestingOrder[] {
    return this.lists[list] ?? [];
  }

  /** Best `depth` price levels a taker backing `outcome` can hit, best payout first. */
  levels(outcome: number, depth = 10): BookLevel[] {
    const out: BookLevel[] = [];
    for (const o of this.lists[outcome] ?? []) {
      if (o.remainingCents <= 0) continue;
      const stake = profitCentsAtAmerican(o.remainingCents, o.makerOdds);
      const last = out[out.length - 1];
      if (last && last.odds === o.takerOdds) {
        out[out.length - 1] = { odds: last.odds, stakeCents: last.stakeCents + stake, valueCents: last.valueCents + o.remainingCents };
      } else {
        if (out.length === depth) break;
        out.push({ odds: o.takerOdds, stakeCents: stake, valueCents: o.remainingCents });
      }
    }
    return out;
  }

  /** Best odds available to a taker on a list, or undefined. */
  bestTakerOdds(list: number): number | undefined {
    return this.lists[list]?.find((o) => o.remainingCents > 0)?.takerOdds;
  }

  /**
   * A taker hits `list` for up to `takerStakeCents`, accepting only odds paying at least
   * `minTakerOdds`, skipping orders `skip` rejects (e.g. its own). Mutates the resting orders and
   * removes the exhausted ones. Returns the fills in execution order.
   */
  take(
    list: number,
    takerStakeCents: number,
    minTakerOdds: number,
    skip?: (order: RestingOrder) => boolean,
  ): Fill[] {
    const fills: Fill[] = [];
    const arr = this.lists[list];
    if (!arr) return fills;
    let remaining = Math.floor(takerStakeCents);
    const floor = payout(minTakerOdds);
    for (let i = 0; i < arr.length && remaining > 0; ) {
      const o = arr[i]!;
      if (payout(o.takerOdds) < floor - 1e-12) break;
      if (skip?.(o) || o.remainingCents <= 0) {
        i++;
        continue;
      }
      const capacity = profitCentsAtAmerican(o.remainingCents, o.makerOdds);
      let makerCents: number;
      let takerCents: number;
      if (capacity <= remaining) {
        makerCents = o.remainingCents;
        takerCents = capacity;
      } else {
        // The whole remaining taker stake is matched; it wins the maker stake it consumes, which is
        // its profit at the taker's odds floored to cents (rounding never overpays the taker).
        makerCents = Math.min(o.remainingCents, profitCentsAtAmerican(remaining, o.takerOdds));
        takerCents = remaining;
        if (makerCents <= 0) break;
      }
      o.remainingCents -= makerCents;
      remaining -= takerCents;
      fills.push({ order: o, makerCents, takerCents, takerOdds: o.takerOdds });
      if (o.remainingCents <= 0) {
        arr.splice(i, 1);
        this.byId.delete(o.id);
      } else {
        i++;
      }
    }
    return fills;
  }
}
