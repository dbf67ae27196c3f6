// Market catalogue (Sportradar ids) and the translation of a leg into a condition on the final score.
//
// margin d = home − away, total t = home + away. Every supported leg is an interval on d or on t:
//   winner home: d > 0, away: d < 0, draw (soccer): d = 0
//   handicap home with line h: d + h > 0 → d > −h;  away with line h: h − d > 0 → d < h
//   total over L: t > L;  under L: t < L
// Pushes (integer lines landing exactly) are counted as NOT losing, i.e. as wins: this over-states the
// bettor's chance and so shortens our price (safe side). Quarter lines (±x.25/x.75) are unsupported.

import type { LineInfo, MarketKind, Sport } from "./types.ts";

export interface MarketSpec {
  marketId: number;
  kind: MarketKind;
  sports: readonly Sport[];
  /** Outcome ids of the market, in the order [home/over, away/under] or [home, draw, away]. */
  outcomes: readonly number[];
}

const SPECS: readonly MarketSpec[] = [
  { marketId: 219, kind: "winner", sports: ["basketball", "american_football"], outcomes: [4, 5] },
  { marketId: 223, kind: "handicap", sports: ["basketball", "american_football"], outcomes: [1714, 1715] },
  { marketId: 225, kind: "total", sports: ["basketball", "american_football"], outcomes: [12, 13] },
  { marketId: 251, kind: "winner", sports: ["baseball"], outcomes: [4, 5] },
  { marketId: 256, kind: "handicap", sports: ["baseball"], outcomes: [1714, 1715] },
  { marketId: 258, kind: "total", sports: ["baseball"], outcomes: [12, 13] },
  { marketId: 406, kind: "winner", sports: ["ice_hockey"], outcomes: [4, 5] },
  { marketId: 410, kind: "handicap", sports: ["ice_hockey"], outcomes: [1714, 1715] },
  { marketId: 412, kind: "total", sports: ["ice_hockey"], outcomes: [12, 13] },
  { marketId: 1, kind: "winner", sports: ["soccer"], outcomes: [1, 2, 3] },
  { marketId: 16, kind: "handicap", sports: ["soccer"], outcomes: [1714, 1715] },
  { marketId: 18, kind: "total", sports: ["soccer"], outcomes: [12, 13] },
];

const BY_ID = new Map(SPECS.map((s) => [s.marketId, s]));

export const marketSpec = (marketId: number): MarketSpec | undefined => BY_ID.get(marketId);

export const MARKET_SPECS = SPECS;

/** Which side of the game a leg backs (for team exposure): home, away, or neither (totals, draw). */
export type LegSide = "home" | "away" | "none";

export type ScoreCondition =
  | { on: "margin"; lo: number; hi: number }
  | { on: "total"; lo: number; hi: number };

export interface LegSemantics {
  kind: MarketKind;
  side: LegSide;
  condition: ScoreCondition;
}

const isQuarter = (x: number): boolean => Math.abs((Math.abs(x) * 4) % 2 - 1) < 1e-9; // x.25 or x.75

/**
 * The score condition of a line, or undefined when the market/outcome/line is not supported.
 * Open bounds are represented with ±Infinity; strictness is handled by the models (see file header).
 */
export function legSemantics(line: Pick<LineInfo, "marketId" | "outcomeId" | "line">): LegSemantics | undefined {
  const spec = BY_ID.get(line.marketId);
  if (!spec) return undefined;
  const idx = spec.outcomes.indexOf(line.outcomeId);
  if (idx < 0) return undefined;
  const INF = Number.POSITIVE_INFINITY;
  switch (spec.kind) {
    case "winner":
      if (spec.outcomes.length === 3) {
        if (idx === 0) return { kind: "winner", side: "home", condition: { on: "margin", lo: 0.5, hi: INF } };
        if (idx === 1) return { kind: "winner", side: "none", condition: { on: "margin", lo: -0.5, hi: 0.5 } };
        return { kind: "winner", side: "away", condition: { on: "margin", lo: -INF, hi: -0.5 } };
      }
      return idx === 0
        ? { kind: "winner", side: "home", condition: { on: "margin", lo: 0, hi: INF } }
        : { kind: "winner", side: "away", condition: { on: "margin", lo: -INF, hi: 0 } };
    case "handicap": {
      const h = line.line;
      if (h === undefined || !Number.isFinite(h) || isQuarter(h)) return undefined;
      return idx === 0
        ? { kind: "handicap", side: "home", condition: { on: "margin", lo: -h, hi: INF } }
        : { kind: "handicap", side: "away", condition: { on: "margin", lo: -INF, hi: h } };
    }
    case "total": {
      const L = line.line;
      if (L === undefined || !Number.isFinite(L) || L <= 0 || isQuarter(L)) return undefined;
      return idx === 0
        ? { kind: "total", side: "none", condition: { on: "total", lo: L, hi: INF } }
        : { kind: "total", side: "none", condition: { on: "total", lo: -INF, hi: L } };
    }
  }
}

/**
 * The other outcomes of the same market at the matching line (for de-vigging a leg): winner → the
 * other outcome(s); handicap h → the opposite team at −h; total L → the other side at L.
 */
export function isOppositeOf(leg: LineInfo, other: LineInfo): boolean {
  if (other.eventId !== leg.eventId || other.marketId !== leg.marketId || other.outcomeId === leg.outcomeId) return false;
  const spec = BY_ID.get(leg.marketId);
  if (!spec || !spec.outcomes.includes(other.outcomeId)) return false;
  switch (spec.kind) {
    case "winner":
      return true;
    case "handicap":
      return leg.line !== undefined && other.line !== undefined && Math.abs(leg.line + other.line) < 1e-9;
    case "total":
      return leg.line !== undefined && other.line !== undefined && Math.abs(leg.line - other.line) < 1e-9;
  }
}
