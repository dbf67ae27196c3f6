// Sampling allocation profile of this process through the inspector: unlike `node --heap-prof`, it
// includes objects already collected by minor and major GCs, so it shows what drives GC work (the
// allocation rate), not only what stays live.
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";

export const allocationProfiler = (file: string, samplingIntervalBytes = 16 * 1024) => {
  const session = new Session();
  let running = false;
  return {
    get running() {
      return running;
    },
    async start() {
      session.connect();
      await session.post("HeapProfiler.startSampling", { samplingInterval: samplingIntervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      running = true;
    },
    async stop() {
      const { profile } = await session.post("HeapProfiler.stopSampling");
      running = false;
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
    },
  };
};
