// Public API of the parlay pricer (pure: no I/O, no clock, no env).
export * from "./types.ts";
export { DEFAULT_PRICING_CONFIG } from "./config.ts";
export { devig, devigAdditive, devigMultiplicative, devigPower, devigShin, type DevigResult } from "./devig.ts";
export { legSemantics, marketSpec, MARKET_SPECS, isOppositeOf, type LegSemantics, type MarketSpec, type ScoreCondition } from "./markets.ts";
export { legFairProbability, oppositeLines, LegFairMemo, type LegFair, type LegFairResult } from "./leg.ts";
export { fitGameModel, clearGameModelCache, boxOf, boxProbability, conditionProbability, type GameModel, type FitTarget } from "./game-model.ts";
export { priceParlayFair, exposureLegsOf, type FairParlay, type FairParlayResult, type PricedLeg } from "./parlay.ts";
export { quoteParlay, marginBps, offeredProbability, liabilityCents, type QuoteInput, type RiskContext } from "./quote.ts";
export { marketViewFromMaps, type MarketMaps } from "./view.ts";
