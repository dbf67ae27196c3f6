// Small measurement helpers shared by the engine benches: percentiles, histograms, an RSS/heap
// sampler, and a tap on this process's fetch that records when each offers POST is written to the
// socket (undici diagnostics channels), keyed by parlay id and by which client sent it.
import dc from "node:diagnostics_channel";
import { AsyncLocalStorage } from "node:async_hooks";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { readdirSync, readFileSync } from "node:fs";

export const arg = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : d;
};
export const argStr = (name: string, d: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : d;
};

export const pct = (sorted: readonly number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
export const sortNum = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
export const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : "—");
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const mb = (bytes: number) => bytes / 2 ** 20;

export const histogram = (xs: Iterable<string>): [string, number][] => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
};

export const table = (header: string[], rows: string[][]): string => {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(w[i]!)).join(" | ") + " |";
  return [line(header), "|" + w.map((x) => "-".repeat(x + 2)).join("|") + "|", ...rows.map(line)].join("\n");
};

/** Samples this process's memory (and optional extra gauges) every `everyMs`. */
export const memorySampler = (everyMs: number, extra: () => Record<string, number> = () => ({})) => {
  const samples: { t: number; rss: number; heap: number; external: number; phase: string; extra: Record<string, number> }[] = [];
  let phase = "start";
  const t0 = performance.now();
  const take = () => {
    let m: NodeJS.MemoryUsage;
    try {
      m = process.memoryUsage();
    } catch {
      return; // e.g. EMFILE when the process ran out of file descriptors
    }
    samples.push({ t: (performance.now() - t0) / 1000, rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external + m.arrayBuffers), phase, extra: extra() });
  };
  const timer = setInterval(take, everyMs);
  timer.unref();
  take();
  return {
    samples,
    setPhase: (p: string) => {
      phase = p;
      take();
    },
    stop: () => {
      take();
      clearInterval(timer);
    },
    /** Least-squares slope (MB/min) of a series over the samples of a phase. */
    slope: (p: string, key: "rss" | "heap" = "rss") => {
      const s = samples.filter((x) => x.phase === p);
      if (s.length < 3) return NaN;
      const mx = s.reduce((a, x) => a + x.t, 0) / s.length;
      const my = s.reduce((a, x) => a + x[key], 0) / s.length;
      const num = s.reduce((a, x) => a + (x.t - mx) * (x[key] - my), 0);
      const den = s.reduce((a, x) => a + (x.t - mx) ** 2, 0);
      return den > 0 ? (num / den) * 60 : NaN;
    },
  };
};

/** Open file descriptors of this process (Linux), or NaN. */
export const openFds = (): number => {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return NaN;
  }
};

export const loopDelay = () => {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return {
    read: () => {
      const r = { p50Ms: h.percentile(50) / 1e6, p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 };
      h.reset();
      return r;
    },
  };
};

/**
 * Records when each offers POST is written to the socket (`undici:client:sendHeaders`), keyed by parlay
 * id and labelled from the bearer token (`labelOf`), as `onSent(label, parlayId, tCreate, tSent)` in
 * performance.now() ms. Requests made with undici's `dispatcher.request` (the ProphetX REST client)
 * are recognised from the `undici:request:create` message itself (method, path, headers, Buffer body);
 * requests made with the global fetch through a wrapper of globalThis.fetch (its body is a stream by
 * the time undici sees it). Install before any client makes a request.
 */
export const tapOfferPosts = (labelOf: (authorization: string | undefined) => string | undefined, onSent: (label: string, parlayId: string, tFetchMs: number, tSentMs: number) => void) => {
  type Tag = { label: string; parlayId: string; tFetch: number };
  const als = new AsyncLocalStorage<Tag>();
  const byRequest = new WeakMap<object, Tag>();
  const OFFERS = "/parlay/sp/orders/offers";
  const fromRequest = (r: { method?: string; path?: string; headers?: unknown; body?: unknown }): Tag | undefined => {
    if (r.method !== "POST" || typeof r.path !== "string" || !r.path.includes(OFFERS)) return undefined;
    const body = Buffer.isBuffer(r.body) ? r.body.toString("utf8", 0, Math.min(r.body.length, 200)) : typeof r.body === "string" ? r.body : undefined;
    const m = body ? /"parlay_id":"([^"]+)"/.exec(body) : null;
    if (!m) return undefined;
    let auth: string | undefined;
    const h = r.headers;
    if (Array.isArray(h)) {
      for (let i = 0; i + 1 < h.length; i += 2) if (String(h[i]).toLowerCase() === "authorization") auth = String(h[i + 1]);
    } else if (typeof h === "string") auth = /^authorization:\s*(.*)$/im.exec(h)?.[1]?.trim();
    const label = labelOf(auth);
    return label ? { label, parlayId: m[1]!, tFetch: performance.now() } : undefined;
  };
  dc.subscribe("undici:request:create", (m: unknown) => {
    const request = (m as { request: object }).request;
    const s = als.getStore() ?? fromRequest(request as Parameters<typeof fromRequest>[0]);
    if (s) byRequest.set(request, s);
  });
  dc.subscribe("undici:client:sendHeaders", (m: unknown) => {
    const s = byRequest.get((m as { request: object }).request);
    if (s) onSent(s.label, s.parlayId, s.tFetch, performance.now());
  });
  const orig = globalThis.fetch;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (init?.method === "POST" && typeof init.body === "string" && url.includes(OFFERS)) {
      const m = /"parlay_id":"([^"]+)"/.exec(init.body);
      const h = init.headers as Record<string, string> | undefined;
      const auth = h ? (h.authorization ?? h.Authorization) : undefined;
      const label = labelOf(auth);
      if (m && label) return als.run({ label, parlayId: m[1]!, tFetch: performance.now() }, () => orig(input, init));
    }
    return orig(input, init);
  }) as typeof fetch;
};

/**
 * CPU time (user + system, ms) of each thread of a process (Linux /proc), keyed by thread id, with
 * the thread's name; empty where /proc is missing. Diff two readings for the CPU a phase used.
 */
export const threadCpuMs = (pid: number | "self" = "self"): Map<number, { name: string; ms: number }> => {
  const out = new Map<number, { name: string; ms: number }>();
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        const name = stat.slice(stat.indexOf("(") + 1, close);
        const fields = stat.slice(close + 2).split(" ");
        out.set(Number(tid), { name, ms: (Number(fields[11]) + Number(fields[12])) * tick });
      } catch {
        /* thread ended */
      }
    }
  } catch {
    /* not Linux, or the process is gone */
  }
  return out;
};

/** CPU ms per thread between two threadCpuMs readings (threads present in the later one). */
export const cpuSince = (before: Map<number, { name: string; ms: number }>, after: Map<number, { name: string; ms: number }>) =>
  [...after].map(([tid, a]) => ({ tid, name: a.name, ms: a.ms - (before.get(tid)?.ms ?? 0) }));

/** Garbage-collection pauses of this thread's heap (perf_hooks 'gc' entries), by kind, between reads. */
export const gcPauses = () => {
  const kinds: Record<number, string> = { 1: "minor", 2: "major", 4: "incremental", 8: "weakcb" };
  let acc = new Map<string, number[]>();
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = kinds[((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind ?? 0] ?? "other";
      const xs = acc.get(kind) ?? [];
      xs.push(e.duration);
      acc.set(kind, xs);
    }
  });
  obs.observe({ entryTypes: ["gc"] });
  return {
    /** "minor 812× total 950 ms max 9.1 ms; major …" since the last read. */
    read: (): string => {
      const out = [...acc].map(([k, xs]) => `${k} ${xs.length}× total ${xs.reduce((a, x) => a + x, 0).toFixed(0)} ms p99 ${pct(sortNum(xs), 99).toFixed(1)} max ${Math.max(...xs).toFixed(1)} ms`).join("; ");
      acc = new Map();
      return out || "none";
    },
    stop: () => obs.disconnect(),
  };
};
