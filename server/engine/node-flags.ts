// V8 flags for the engine process (server/start.ts, `npm run engine`, bench/engine-soak.ts).
// The engine's live heap is small (~60–90 MB at 1,000 RFQ/s) but it allocates fast; with V8's
// defaults the old generation grows to several times the live size between major GCs, so resident
// memory climbs by hundreds of MB of garbage. A 20 % growth factor keeps the heap close to what is
// live, and 4 MB semi-spaces keep each young-generation scavenge short. V8 flags hold for every
// isolate of the process, so the SQLite writer thread's young generation is as small.
// Semi-spaces of 4 MB against 8 MB (fourth session, 2-core box): engine-soak at 1,000 RFQ/s peaked at
// 281 MB against 290–297 MB, and engine-latency at 1,000 RFQ/s showed no difference beyond run-to-run
// noise (model p99 25.8 / 48.3 / 37.7 ms against 22.5 / 41.5 / 39.1 ms, alternated runs).
export const ENGINE_NODE_FLAGS = ["--max-semi-space-size=4", "--heap-growing-percent=20"];
