// Sampling allocation profile of this process through the inspector: unlike `node --heap-prof`, it
// includes objects already collected by minor and major GCs, so it shows what drives GC work (the
// allocation rate), not only what stays live. `survivorsOnly` drops what minor GCs collected: what is
// left survived a scavenge, i.e. what makes scavenges slow and fills the old generation.
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";

export const allocationProfiler = (file: string, samplingIntervalBytes = 16 * 1024, survivorsOnly = false) => {
  const session = new Session();
  let running = false;
  return {
    get running() {
      return running;
    },
    async start() {
      session.connect();
      await session.post("HeapProfiler.startSampling", { samplingInterval: samplingIntervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivorsOnly });
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

/** Sampling CPU profile of this process's main thread for one phase (a .cpuprofile for DevTools). */
export const cpuProfiler = (file: string, samplingIntervalMicros = 200) => {
  const session = new Session();
  let running = false;
  return {
    get running() {
      return running;
    },
    async start() {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: samplingIntervalMicros });
      await session.post("Profiler.start");
      running = true;
    },
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      running = false;
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
    },
  };
};
