// V8 flags for the engine process (server/start.ts, `npm run engine`, bench/engine-soak.ts).
// The engine's live heap is small (~60–90 MB at 1,000 RFQ/s) but it allocates fast; with V8's
// defaults the old generation grows to several times the live size between major GCs, so resident
// memory climbs by hundreds of MB of garbage. A 20 % growth factor keeps the heap close to what is
// live, and 8 MB semi-spaces keep each young-generation scavenge short.
export const ENGINE_NODE_FLAGS = ["--max-semi-space-size=8", "--heap-growing-percent=20"];
