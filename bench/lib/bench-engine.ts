// What the engine benches (engine-latency, engine-soak) give startEngine besides the DB and the
// account: quiet logs, no cancel-all on stop, supported lines every second, no client-side rate
// limit, and risk limits and balance far above what a run can use, so RFQs are quoted, not declined
// for caps (each bench prints its decline histogram to prove it).
import { silentLogger } from "../../server/prophetx/rest.ts";

const BIG = 1_000_000_000_000; // cents: limits nobody reaches in a bench

export const benchEngineOptions = {
  logger: silentLogger,
  cancelAllOnStop: false,
  supportedLinesIntervalMs: 1_000,
  restOptions: { rateLimit: 1_000_000 },
  settings: { maxRiskPerParlayCents: BIG, maxEventExposureCents: BIG, maxTotalExposureCents: BIG, risk: { maxLineExposureCents: BIG, maxTeamExposureCents: BIG, maxCreatorExposureCents: BIG, maxWorstCaseLossCents: BIG, minFreeBalanceCents: 0 } },
};

/**
 * Node flags for a process the benches run as the engine runs: the flags `bundleEngine` returned with
 * the bundle (its argv minus the last entry), unless ENGINE_NODE_FLAGS="…" overrides them.
 */
export const benchEngineFlags = (bundleArgv: readonly string[]): string[] =>
  process.env.ENGINE_NODE_FLAGS !== undefined ? process.env.ENGINE_NODE_FLAGS.split(" ").filter(Boolean) : bundleArgv.slice(0, -1);
