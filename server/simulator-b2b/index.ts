// Public surface of the B2B simulator module.
export { createB2bSimulator, SIM_AFFILIATE_KEY, SIM_USER, SIM_BLOCKED_USER, DEFAULT_ALLOWED_STATES, ACCESS_TTL_MS, REFRESH_TTL_MS } from "./simulator.ts";
export type { B2bSimulator, B2bSimOptions, B2bWager, B2bUser, TrackedEvent } from "./simulator.ts";
export { startB2bSimulator } from "./start.ts";
export type { RunningB2bSimulator } from "./start.ts";
export { createMemoryWorld, defaultFixture, lineIdOf } from "./world.ts";
export type { B2bWorld, B2bTournament, B2bEvent, B2bMarket, B2bSelection, B2bPlaceResult, MemoryWorld } from "./world.ts";
