// Parlay quoting benchmark: `npx tsx bench/quoting.ts [--rfqs 10000] [--seed 7]`.
//
// 1. Latency of quoteParlay (warm model cache and cold) vs a do-nothing function, 100k calls.
// 2. Quality vs a hidden truth: a self-contained world (server/simulator did not exist when this was
//    written). Each game's truth is an empirical distribution of S simulated final scores from a model
//    that is deliberately NOT ours (NBA: correlated team scores, unequal sds; NFL: normal margin/total
//    with ρ=0.05; MLB: negative-binomial runs + extra innings; NHL: Poisson + OT; soccer: bivariate
//    Poisson). Exchange books = truth + per-line noise + spread. Bettors compare our tiers with a rival
//    quoter and take the best; sharp bettors know the truth and only take +EV prices. The same RFQs,
//    bettors and results are replayed for our quoter and for the naive "product of de-vigged legs ×
//    (1 + 1.5 % per leg)" quoter (common random numbers).

import { americanToDecimal, probabilityToAmericanFloor } from "../lib/odds/american.ts";
import { mulberry32 } from "../lib/random/mulberry32.ts";
import { DEFAULT_PRICING_CONFIG } from "../lib/pricing/config.ts";
import { clearGameModelCache } from "../lib/pricing/game-model.ts";
import { legFairProbability } from "../lib/pricing/leg.ts";
import { legSemantics } from "../lib/pricing/markets.ts";
import { liabilityCents, quoteParlay, type QuoteInput } from "../lib/pricing/quote.ts";
import { buildView, lineIdOf, type GameSpec } from "../lib/pricing/testing.ts";
import type { MarketView, ParlayLeg, PricingConfig, QuoteTier, Sport } from "../lib/pricing/types.ts";
import { EMPTY_EXPOSURE, withOrder, type ExposureSnapshot } from "../lib/risk/exposure.ts";
import { capTierRisk, DEFAULT_RISK_LIMITS, riskCapacity, type RiskLimits } from "../lib/risk/limits.ts";

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const N_RFQS = arg("rfqs", 10_000);
const SEED = arg("seed", 7);
const LATENCY_CALLS = arg("calls", 100_000);
const S = 4000; // truth samples per game
const GAMES_PER_SLATE = 40;
const RFQS_PER_SLATE = 400;
const NOW = 1_700_000_000_000;

// ---------------------------------------------------------------------------------------------- rng
const gauss = (r: () => number): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const poisson = (r: () => number, l: number): number => {
  const L = Math.exp(-l);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > L);
  return k - 1;
};
const gamma = (r: () => number, shape: number): number => {
  // Marsaglia–Tsang (shape ≥ 1)
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = gauss(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
};
const uni = (r: () => number, a: number, b: number): number => a + (b - a) * r();
const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const halfRound = (x: number): number => Math.floor(x) + 0.5;

// -------------------------------------------------------------------------------------------- world
interface TruthLine {
  lineId: string;
  leg: ParlayLeg;
  pTrue: number;
  wins: Uint8Array; // per truth sample
}
interface Game {
  eventId: string;
  sport: Sport;
  h: Int16Array;
  a: Int16Array;
  lines: TruthLine[];
  /** market groups: line ids that form one market (for books and same-game combos) */
  groups: string[][];
  actual: number; // index of the realised sample
  spec: GameSpec;
}

function simulateScores(sport: Sport, r: () => number): { h: Int16Array; a: Int16Array } {
  const h = new Int16Array(S);
  const a = new Int16Array(S);
  switch (sport) {
    case "basketball": {
      const mT = uni(r, 208, 236);
      const mM = gauss(r) * 6.5;
      const sh = 11;
      const sa = 10;
      for (let i = 0; i < S; i++) {
        const z1 = gauss(r);
        const z2 = 0.3 * z1 + Math.sqrt(1 - 0.09) * gauss(r);
        let x = Math.round((mT + mM) / 2 + sh * z1);
        let y = Math.round((mT - mM) / 2 + sa * z2);
        while (x === y) (r() < 0.5 ? (x += Math.round(uni(r, 1, 6))) : (y += Math.round(uni(r, 1, 6))));
        h[i] = x;
        a[i] = y;
      }
      break;
    }
    case "american_football": {
      const mT = uni(r, 38, 52);
      const mM = gauss(r) * 6;
      for (let i = 0; i < S; i++) {
        const z1 = gauss(r);
        const z2 = 0.05 * z1 + Math.sqrt(1 - 0.0025) * gauss(r);
        const M = mM + 13.5 * z1;
        const T = Math.max(3, mT + 13 * z2);
        let x = Math.max(0, Math.round((T + M) / 2));
        let y = Math.max(0, Math.round((T - M) / 2));
        if (x === y) r() < 0.5 ? (x += 3) : (y += 3);
        h[i] = x;
        a[i] = y;
      }
      break;
    }
    case "baseball": {
      const lh = uni(r, 3.6, 5.4);
      const la = uni(r, 3.4, 5.0);
      const k = 6; // negative binomial dispersion
      for (let i = 0; i < S; i++) {
        let x = poisson(r, (gamma(r, k) / k) * lh);
        let y = poisson(r, (gamma(r, k) / k) * la);
        if (x === y) r() < lh / (lh + la) ? x++ : y++;
        h[i] = x;
        a[i] = y;
      }
      break;
    }
    case "ice_hockey": {
      const lh = uni(r, 2.6, 3.7);
      const la = uni(r, 2.3, 3.4);
      for (let i = 0; i < S; i++) {
        let x = poisson(r, lh);
        let y = poisson(r, la);
        if (x === y) r() < lh / (lh + la) ? x++ : y++;
        h[i] = x;
        a[i] = y;
      }
      break;
    }
    case "soccer": {
      const l1 = uni(r, 1.0, 1.9);
      const l2 = uni(r, 0.7, 1.4);
      const l3 = 0.12;
      for (let i = 0; i < S; i++) {
        const c = poisson(r, l3);
        h[i] = poisson(r, l1) + c;
        a[i] = poisson(r, l2) + c;
      }
      break;
    }
  }
  return { h, a };
}

function marketDefs(sport: Sport, h: Int16Array, a: Int16Array): Array<{ marketId: number; sides: Array<{ outcomeId: number; line?: number }> }> {
  const med = (f: (i: number) => number): number => {
    const xs = Array.from({ length: S }, (_, i) => f(i)).sort((x, y) => x - y);
    return xs[S >> 1]!;
  };
  const mM = med((i) => h[i]! - a[i]!);
  const mT = med((i) => h[i]! + a[i]!);
  const spreadPair = (mk: number, hl: number) => ({ marketId: mk, sides: [{ outcomeId: 1714, line: hl }, { outcomeId: 1715, line: -hl }] });
  const totalPair = (mk: number, L: number) => ({ marketId: mk, sides: [{ outcomeId: 12, line: L }, { outcomeId: 13, line: L }] });
  switch (sport) {
    case "basketball":
    case "american_football": {
      const s0 = halfRound(-mM);
      const t0 = halfRound(mT);
      const step = sport === "basketball" ? 4 : 3;
      const tstep = sport === "basketball" ? 5 : 3;
      return [
        { marketId: 219, sides: [{ outcomeId: 4 }, { outcomeId: 5 }] },
        spreadPair(223, s0),
        spreadPair(223, s0 - step),
        spreadPair(223, s0 + step),
        totalPair(225, t0),
        totalPair(225, t0 - tstep),
        totalPair(225, t0 + tstep),
      ];
    }
    case "baseball":
      return [
        { marketId: 251, sides: [{ outcomeId: 4 }, { outcomeId: 5 }] },
        spreadPair(256, -1.5),
        spreadPair(256, 1.5),
        totalPair(258, halfRound(mT) - 1),
        totalPair(258, halfRound(mT)),
        totalPair(258, halfRound(mT) + 1),
      ];
    case "ice_hockey":
      return [
        { marketId: 406, sides: [{ outcomeId: 4 }, { outcomeId: 5 }] },
        spreadPair(410, -1.5),
        spreadPair(410, 1.5),
        totalPair(412, 5.5),
        totalPair(412, 6.5),
      ];
    case "soccer":
      return [{ marketId: 1, sides: [{ outcomeId: 1 }, { outcomeId: 2 }, { outcomeId: 3 }] }, totalPair(18, 1.5), totalPair(18, 2.5), totalPair(18, 3.5)];
  }
}

const SPORTS: Array<[Sport, number]> = [
  ["basketball", 0.35],
  ["american_football", 0.1],
  ["baseball", 0.2],
  ["ice_hockey", 0.15],
  ["soccer", 0.2],
];
const pickSport = (r: () => number): Sport => {
  let u = r();
  for (const [s, w] of SPORTS) if ((u -= w) < 0) return s;
  return "basketball";
};

function makeGame(eventId: string, r: () => number): Game {
  const sport = pickSport(r);
  const { h, a } = simulateScores(sport, r);
  const lines: TruthLine[] = [];
  const groups: string[][] = [];
  const spec: GameSpec = { eventId, sport, startsAtMs: NOW + 3_600_000, markets: [] };
  for (const m of marketDefs(sport, h, a)) {
    const group: string[] = [];
    const pt: number[] = [];
    for (const s of m.sides) {
      const lineId = lineIdOf(eventId, m.marketId, s.outcomeId, s.line);
      const sem = legSemantics({ marketId: m.marketId, outcomeId: s.outcomeId, line: s.line })!;
      const c = sem.condition;
      const wins = new Uint8Array(S);
      let n = 0;
      for (let i = 0; i < S; i++) {
        const v = c.on === "margin" ? h[i]! - a[i]! : h[i]! + a[i]!;
        const w = v > c.lo && v < c.hi ? 1 : 0;
        wins[i] = w;
        n += w;
      }
      const leg: ParlayLeg = { lineId, marketId: m.marketId, outcomeId: s.outcomeId, sportEventId: eventId, line: s.line };
      lines.push({ lineId, leg, pTrue: n / S, wins });
      group.push(lineId);
      pt.push(n / S);
    }
    groups.push(group);
    // Exchange book: market's noisy view of the truth plus a spread on each side.
    const noisy = pt.map((p) => sigmoid(logit(Math.min(0.995, Math.max(0.005, p))) + 0.1 * gauss(r)));
    const tot = noisy.reduce((x, y) => x + y, 0);
    const half = uni(r, 0.012, 0.03);
    spec.markets.push({
      marketId: m.marketId,
      sides: m.sides.map((s, i) => ({ ...s, odds: probabilityToAmericanFloor(Math.min(0.99, noisy[i]! / tot + half)), stakeCents: 500_000 })),
    });
  }
  return { eventId, sport, h, a, lines, groups, actual: Math.floor(r() * S), spec };
}

// --------------------------------------------------------------------------------------------- RFQs
interface Rfq {
  legs: ParlayLeg[];
  games: Game[];
  sameGame: boolean;
  sharp: boolean;
  stakeCents: number;
  creatorId: string;
  decisionSeed: number;
}

const truthProbability = (rfq: Rfq): number => {
  const byGame = new Map<Game, TruthLine[]>();
  for (const l of rfq.legs) {
    const g = rfq.games.find((x) => x.eventId === l.sportEventId)!;
    const tl = g.lines.find((x) => x.lineId === l.lineId)!;
    byGame.set(g, [...(byGame.get(g) ?? []), tl]);
  }
  let p = 1;
  for (const [, tls] of byGame) {
    let n = 0;
    for (let i = 0; i < S; i++) if (tls.every((t) => t.wins[i] === 1)) n++;
    p *= n / S;
  }
  return p;
};
const truthResult = (rfq: Rfq): boolean =>
  rfq.legs.every((l) => {
    const g = rfq.games.find((x) => x.eventId === l.sportEventId)!;
    return g.lines.find((x) => x.lineId === l.lineId)!.wins[g.actual] === 1;
  });

const LEG_COUNTS: Array<[number, number]> = [
  [2, 0.3],
  [3, 0.25],
  [4, 0.17],
  [5, 0.1],
  [6, 0.08],
  [7, 0.05],
  [8, 0.05],
];

function makeRfq(games: Game[], r: () => number, idx: number): Rfq {
  let u = r();
  let n = 2;
  for (const [k, w] of LEG_COUNTS) if ((u -= w) < 0) {
    n = k;
    break;
  }
  const usable = (g: Game) => g.lines.filter((l) => l.pTrue > 0.08 && l.pTrue < 0.92);
  const chosen: TruthLine[] = [];
  const used = new Set<Game>();
  const sameGame = r() < 0.35;
  if (sameGame) {
    const g = games[Math.floor(r() * games.length)]!;
    used.add(g);
    const ml = g.lines.filter((l) => legSemantics(l.leg)!.kind === "winner" && legSemantics(l.leg)!.side !== "none");
    const fav = ml.reduce((x, y) => (y.pTrue > x.pTrue ? y : x));
    const favSide = legSemantics(fav.leg)!.side;
    const spreads = usable(g).filter((l) => legSemantics(l.leg)!.kind === "handicap" && legSemantics(l.leg)!.side === favSide);
    const totals = usable(g).filter((l) => legSemantics(l.leg)!.kind === "total");
    const kind = r();
    if (kind < 0.45 && spreads.length > 0) chosen.push(fav, spreads[Math.floor(r() * spreads.length)]!);
    else if (kind < 0.8 && totals.length > 0) chosen.push(fav, totals[Math.floor(r() * totals.length)]!);
    else if (spreads.length > 0 && totals.length > 0) chosen.push(spreads[Math.floor(r() * spreads.length)]!, totals[Math.floor(r() * totals.length)]!);
    else chosen.push(fav);
  }
  let guard = 0;
  while (chosen.length < n && guard++ < 100) {
    const g = games[Math.floor(r() * games.length)]!;
    if (used.has(g)) continue;
    const ls = usable(g);
    if (ls.length === 0) continue;
    used.add(g);
    chosen.push(ls[Math.floor(r() * ls.length)]!);
  }
  const sharp = r() < 0.15;
  const stakeCents = sharp ? Math.round(uni(r, 20_000, 150_000)) : Math.min(50_000, Math.round(2_500 * Math.exp(0.9 * gauss(r))) + 100);
  return {
    legs: chosen.map((c) => c.leg),
    games: [...used],
    sameGame,
    sharp,
    stakeCents,
    creatorId: `u${Math.floor(r() * 300)}`,
    decisionSeed: idx * 7919 + SEED,
  };
}

// ------------------------------------------------------------------------------------------ quoters
type Offer = { tiers: QuoteTier[]; fair: number } | undefined;
interface RiskState {
  exposure: ExposureSnapshot;
  limits: RiskLimits;
  balance: number;
}
type Quoter = (rfq: Rfq, view: MarketView, risk: RiskState) => Offer;

const ourQuoter: Quoter = (rfq, view, risk) => {
  const q = quoteParlay({
    legs: rfq.legs,
    stakeCents: rfq.stakeCents,
    creatorId: rfq.creatorId,
    nowMs: NOW,
    market: view,
    config: DEFAULT_PRICING_CONFIG,
    risk: { limits: risk.limits, exposure: risk.exposure, balance: { availableCents: risk.balance } },
  });
  return q.kind === "quote" ? { tiers: q.tiers, fair: q.fairProbability } : undefined;
};

const NAIVE_CONFIG: PricingConfig = { ...DEFAULT_PRICING_CONFIG, devigMethod: "multiplicative" };
const naiveQuoter: Quoter = (rfq, view, risk) => {
  let fair = 1;
  for (const l of rfq.legs) {
    const info = view.line(l.lineId);
    if (!info) return undefined;
    const f = legFairProbability(info, view, NAIVE_CONFIG, NOW);
    if (!f.ok) return undefined;
    fair *= f.leg.fairProbability;
  }
  const exposureLegs = rfq.legs.map((l) => ({ lineId: l.lineId, eventId: l.sportEventId }));
  const cap = riskCapacity({ legs: exposureLegs, creatorId: rfq.creatorId, exposure: risk.exposure, limits: risk.limits, balance: { availableCents: risk.balance } });
  const vig = 0.015 * rfq.legs.length;
  const tiers = DEFAULT_PRICING_CONFIG.tierMaxRiskCents.map((m, i) => ({
    odds: probabilityToAmericanFloor(Math.min(0.995, fair * (1 + vig + (i * DEFAULT_PRICING_CONFIG.margin.tierStepBps) / 10_000))),
    maxRiskCents: m,
  }));
  const stake = rfq.stakeCents;
  const capped = capTierRisk(tiers, cap.capacityCents, DEFAULT_PRICING_CONFIG.minTierRiskCents, (o) => liabilityCents(Math.ceil(stake * DEFAULT_PRICING_CONFIG.stakeHeadroom), o));
  return capped.length ? { tiers: capped, fair } : undefined;
};

// --------------------------------------------------------------------------------------- simulation
interface Stats {
  rfqs: number;
  quoted: number;
  filled: number;
  handle: number;
  expectedPnl: number;
  realisedPnl: number;
  maxExposure: number;
  sharpHandle: number;
  sharpPnl: number;
  sgHandle: number;
  sgExpected: number;
  indHandle: number;
  indExpected: number;
}
const emptyStats = (): Stats => ({ rfqs: 0, quoted: 0, filled: 0, handle: 0, expectedPnl: 0, realisedPnl: 0, maxExposure: 0, sharpHandle: 0, sharpPnl: 0, sgHandle: 0, sgExpected: 0, indHandle: 0, indExpected: 0 });

function runSlate(rfqs: Rfq[], view: MarketView, quoter: Quoter, stats: Stats, truthP: number[], results: boolean[]): void {
  const limits: RiskLimits = { ...DEFAULT_RISK_LIMITS };
  let exposure = EMPTY_EXPOSURE;
  const balance = 10_000_000; // $100k
  for (let k = 0; k < rfqs.length; k++) {
    const rfq = rfqs[k]!;
    stats.rfqs++;
    const offer = quoter(rfq, view, { exposure, limits, balance });
    if (!offer) continue;
    stats.quoted++;
    const pT = truthP[k]!;
    const r = mulberry32(rfq.decisionSeed);
    // Rival quoter: noisy view of the true joint probability, 3 % + 1.5 %/leg margin, unlimited size.
    const rivalP = Math.min(0.995, sigmoid(logit(pT) + 0.12 * Math.sqrt(rfq.legs.length) * gauss(r)) * (1.03 + 0.015 * rfq.legs.length));
    const rivalDec = 1 / rivalP;
    if (!rfq.sharp && r() < 0.1) continue; // recreational bettor walks away
    let remaining = rfq.stakeCents;
    let ourStake = 0;
    let ourLiability = 0;
    for (const t of offer.tiers) {
      const dec = americanToDecimal(t.odds);
      if (dec <= rivalDec) break; // the rival is better from here on
      if (rfq.sharp && pT * dec <= 1.0) break; // sharp takes only +EV prices
      const take = Math.min(remaining, Math.floor(t.maxRiskCents / (dec - 1)));
      if (take <= 0) continue;
      ourStake += take;
      ourLiability += Math.floor(take * (dec - 1));
      remaining -= take;
      if (remaining <= 0) break;
    }
    if (ourStake === 0) continue;
    stats.filled++;
    stats.handle += ourStake;
    const expected = ourStake - pT * (ourStake + ourLiability);
    stats.expectedPnl += expected;
    const realised = results[k] ? -ourLiability : ourStake;
    stats.realisedPnl += realised;
    if (rfq.sharp) {
      stats.sharpHandle += ourStake;
      stats.sharpPnl += expected;
    }
    if (rfq.sameGame) {
      stats.sgHandle += ourStake;
      stats.sgExpected += expected;
    } else {
      stats.indHandle += ourStake;
      stats.indExpected += expected;
    }
    exposure = withOrder(exposure, {
      orderId: `o${k}`,
      state: "accepted",
      creatorId: rfq.creatorId,
      liabilityCents: ourLiability,
      legs: rfq.legs.map((l) => ({ lineId: l.lineId, eventId: l.sportEventId })),
    });
    stats.maxExposure = Math.max(stats.maxExposure, exposure.worstCaseCents);
  }
}

// ------------------------------------------------------------------------------------------ latency
function latency(views: MarketView[], rfqs: Rfq[]): void {
  const inputs: QuoteInput[] = rfqs.slice(0, 1000).map((rfq, i) => ({
    legs: rfq.legs,
    stakeCents: rfq.stakeCents,
    creatorId: rfq.creatorId,
    nowMs: NOW,
    market: views[Math.floor(i / RFQS_PER_SLATE)]!,
    config: DEFAULT_PRICING_CONFIG,
    risk: { limits: DEFAULT_RISK_LIMITS, exposure: EMPTY_EXPOSURE, balance: { availableCents: 10_000_000 } },
  }));
  const noop = (x: QuoteInput): unknown => ({ kind: "decline", reason: x.legs.length > 100 ? "too_many_legs" : "no_book" });
  const measure = (fn: (x: QuoteInput) => unknown, calls: number, before?: () => void): { p50: number; p99: number; mean: number } => {
    const t = new Float64Array(calls);
    let sink = 0;
    for (let i = 0; i < calls; i++) {
      before?.();
      const s = process.hrtime.bigint();
      const out = fn(inputs[i % inputs.length]!);
      t[i] = Number(process.hrtime.bigint() - s) / 1000;
      if (out) sink++;
    }
    if (sink < 0) console.log(sink);
    const sorted = Array.from(t).sort((a, b) => a - b);
    return { p50: sorted[Math.floor(calls * 0.5)]!, p99: sorted[Math.floor(calls * 0.99)]!, mean: sorted.reduce((a, b) => a + b, 0) / calls };
  };
  for (let i = 0; i < 2000; i++) quoteParlay(inputs[i % inputs.length]!); // warm-up (JIT + model cache)
  const base = measure(noop, LATENCY_CALLS);
  const warm = measure(quoteParlay, LATENCY_CALLS);
  const cold = measure(quoteParlay, Math.min(10_000, LATENCY_CALLS), clearGameModelCache);
  if (process.env.BENCH_DEBUG) {
    const per = inputs.map((x) => { const s = process.hrtime.bigint(); for (let i = 0; i < 20; i++) quoteParlay(x); return [Number(process.hrtime.bigint() - s) / 20000, x] as const; }).sort((a, b) => b[0] - a[0]);
    for (const [us, x] of per.slice(0, 5)) console.log(us.toFixed(1), x.legs.map((l) => l.lineId).join(" "), quoteParlay(x).kind);
  }
  const legs = inputs.map((x) => x.legs.length);
  console.log(`\nLatency (µs), ${LATENCY_CALLS} calls on ${inputs.length} distinct RFQs of ${Math.min(...legs)}–${Math.max(...legs)} legs:`);
  console.log(`  do-nothing           p50 ${base.p50.toFixed(2).padStart(8)}  p99 ${base.p99.toFixed(2).padStart(8)}  mean ${base.mean.toFixed(2)}`);
  console.log(`  quoteParlay (warm)   p50 ${warm.p50.toFixed(2).padStart(8)}  p99 ${warm.p99.toFixed(2).padStart(8)}  mean ${warm.mean.toFixed(2)}   ratio p50 ×${(warm.p50 / base.p50).toFixed(1)}`);
  console.log(`  quoteParlay (cold, model cache cleared each call, ${Math.min(10_000, LATENCY_CALLS)} calls)  p50 ${cold.p50.toFixed(2)}  p99 ${cold.p99.toFixed(2)}`);
}

// ------------------------------------------------------------------------------------------------ main
function main(): void {
  const t0 = Date.now();
  const world = mulberry32(SEED);
  const slates = Math.ceil(N_RFQS / RFQS_PER_SLATE);
  const ours = emptyStats();
  const naive = emptyStats();
  const views: MarketView[] = [];
  const allRfqs: Rfq[] = [];
  for (let s = 0; s < slates; s++) {
    const games = Array.from({ length: GAMES_PER_SLATE }, (_, i) => makeGame(`e${s}_${i}`, world));
    const view = buildView(games.map((g) => g.spec), NOW - 5_000);
    views.push(view);
    const n = Math.min(RFQS_PER_SLATE, N_RFQS - s * RFQS_PER_SLATE);
    const rfqs = Array.from({ length: n }, (_, k) => makeRfq(games, world, s * RFQS_PER_SLATE + k));
    allRfqs.push(...rfqs);
    const truthP = rfqs.map(truthProbability);
    const results = rfqs.map(truthResult);
    runSlate(rfqs, view, ourQuoter, ours, truthP, results);
    runSlate(rfqs, view, naiveQuoter, naive, truthP, results);
  }
  const tQuality = Date.now() - t0;

  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const usd = (c: number): string => `$${(c / 100).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
  const row = (name: string, f: (s: Stats) => string): void => console.log(`  ${name.padEnd(34)} ${f(ours).padStart(14)} ${f(naive).padStart(14)}`);
  console.log(`Quality vs truth: ${N_RFQS} RFQs, ${slates} slates × ${GAMES_PER_SLATE} games, truth = ${S} simulated scores/game, seed ${SEED}`);
  console.log(`  ${"".padEnd(34)} ${"ours".padStart(14)} ${"naive".padStart(14)}`);
  row("quoted (offers sent / RFQs)", (s) => pct(s.quoted / s.rfqs));
  row("fill rate (filled / RFQs)", (s) => pct(s.filled / s.rfqs));
  row("handle (stake matched)", (s) => usd(s.handle));
  row("expected P&L under truth", (s) => usd(s.expectedPnl));
  row("expected margin (E[P&L]/handle)", (s) => pct(s.expectedPnl / Math.max(1, s.handle)));
  row("realised P&L (sampled results)", (s) => usd(s.realisedPnl));
  row("realised margin", (s) => pct(s.realisedPnl / Math.max(1, s.handle)));
  row("same-game: handle", (s) => usd(s.sgHandle));
  row("same-game: expected margin", (s) => pct(s.sgExpected / Math.max(1, s.sgHandle)));
  row("other: handle", (s) => usd(s.indHandle));
  row("other: expected margin", (s) => pct(s.indExpected / Math.max(1, s.indHandle)));
  row("sharp bettors: handle", (s) => usd(s.sharpHandle));
  row("sharp bettors: expected P&L", (s) => usd(s.sharpPnl));
  row("max open liability (one slate)", (s) => usd(s.maxExposure));
  console.log(`  (quality run ${(tQuality / 1000).toFixed(1)} s)`);

  latency(views, allRfqs);
  console.log(`\nTotal ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
