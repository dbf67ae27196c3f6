// Profiles of this process for one bench phase, taken through the inspector and written as JSON files
// that Chrome DevTools (or any reader of the format) opens.
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";

/** start() begins a profile, stop() ends it and writes what `end` returned to `file`. */
const phaseProfiler = (file: string, begin: (s: Session) => Promise<unknown>, end: (s: Session) => Promise<unknown>) => {
  const session = new Session();
  let running = false;
  return {
    get running() {
      return running;
    },
    async start() {
      session.connect();
      await begin(session);
      running = true;
    },
    async stop() {
      const profile = await end(session);
      running = false;
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
    },
  };
};

/**
 * Sampling allocation profile (.heapprofile): unlike `node --heap-prof`, it includes objects already
 * collected by minor and major GCs, so it shows what drives GC work (the allocation rate), not only
 * what stays live. `survivorsOnly` drops what minor GCs collected: what is left survived a scavenge,
 * i.e. what makes scavenges slow and fills the old generation.
 */
export const allocationProfiler = (file: string, samplingIntervalBytes = 16 * 1024, survivorsOnly = false) =>
  phaseProfiler(
    file,
    (s) => s.post("HeapProfiler.startSampling", { samplingInterval: samplingIntervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivorsOnly }),
    async (s) => (await s.post("HeapProfiler.stopSampling")).profile,
  );

/** Sampling CPU profile of this process's main thread (.cpuprofile). */
export const cpuProfiler = (file: string, samplingIntervalMicros = 200) =>
  phaseProfiler(
    file,
    async (s) => {
      await s.post("Profiler.enable");
      await s.post("Profiler.setSamplingInterval", { interval: samplingIntervalMicros });
      await s.post("Profiler.start");
    },
    async (s) => (await s.post("Profiler.stop")).profile,
  );
