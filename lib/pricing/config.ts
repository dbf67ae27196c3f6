// Default pricing configuration. Every number is a starting point for the desk to tune; the engine may
// override any field (the config is plain data, persisted with each quote's inputs by the engine).

import type { PricingConfig, SportModelParams } from "./types.ts";

const poisson = (maxScore: number, dixonColesRho = 0): SportModelParams => ({
  marginSd: 0,
  totalSd: 0,
  marginTotalCorrelation: 0,
  maxScore,
  dixonColesRho,
});

export const DEFAULT_PRICING_CONFIG: PricingConfig = {
  devigMethod: "power",
  staleAfterMs: 60_000,
  maxOverround: 0.08,
  maxUnderround: 0.01,
  minBestStakeCents: 500,
  minLegProbability: 0.03,
  minParlayProbability: 0.0005,
  maxLegs: 8,
  minLegs: 2,
  minTimeToStartMs: 60_000,
  allowSameMarketTwice: false,
  allowWinnerWithHandicap: true,
  margin: {
    baseBps: 200,
    perLegBps: 150,
    perLegBpsBySport: {},
    perLegBpsByMarket: {},
    sameGameExtraLegBps: 250,
    uncertaintyMultiplier: 0.5,
    tierStepBps: 300,
  },
  tierMaxRiskCents: [50_000, 150_000, 300_000],
  stakeHeadroom: 2,
  minTierRiskCents: 500,
  sportModel: {
    basketball: { marginSd: 12.5, totalSd: 18, marginTotalCorrelation: 0, maxScore: 0, dixonColesRho: 0 },
    american_football: { marginSd: 13.5, totalSd: 13, marginTotalCorrelation: 0, maxScore: 0, dixonColesRho: 0 },
    baseball: poisson(25),
    ice_hockey: poisson(14),
    soccer: poisson(12, -0.05),
  },
};
