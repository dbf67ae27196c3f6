"use client";
// One EventSource on /api/live for the whole desk. Events are routed to react-query: RFQ-ish events
// patch just the affected rows of the RFQ list (fetched by id), everything else invalidates the
// affected queries (only mounted queries refetch). Work is throttled: the first event flushes at once,
// later ones are batched for at most FLUSH_MS (dYdX pattern), so updates land well within 250 ms.
import { useEffect } from "react";
import { useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import type { RfqList, RfqRow } from "@/server/desk/types";
import { useDeskUi } from "@/components/stores/desk-ui";
import { apiFetch } from "./api-fetch";
import { qk } from "./keys";
import { RFQ_LIMIT } from "./hooks";

export const FLUSH_MS = 120;
const PATCH_MAX_IDS = 100;

/** Event types we listen for (named SSE events need a listener each); unknown ones are ignored. */
export const LIVE_EVENT_TYPES = [
  "rfq", "quote", "offer", "confirm", "confirmation", "order", "settlement",
  "wager", "book", "trade", "health", "status", "lease", "engine", "audit", "command", "settings", "setting",
  "kill_switch", "quoting",
] as const;

type Payload = Record<string, unknown>;
type Plan = { parlayIds: Set<string>; keys: Map<string, QueryKey>; refetchRfqs: boolean };

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : typeof v === "number" ? String(v) : null);

/** The parlay id an event is about, wherever the engine put it. */
export const parlayIdOf = (p: Payload): string | null =>
  str(p.parlayId) ?? str(p.parlay_id) ?? (p.request && typeof p.request === "object" ? str((p.request as Payload).parlayId) : null) ?? (p.order && typeof p.order === "object" ? str((p.order as Payload).parlayId) : null);

const add = (plan: Plan, key: QueryKey) => plan.keys.set(JSON.stringify(key), key);

/** Decides what one event changes. Pure, so it is easy to reason about. */
export const planEvent = (plan: Plan, type: string, payload: unknown): void => {
  const p: Payload = payload && typeof payload === "object" ? (payload as Payload) : {};
  const parlayId = parlayIdOf(p);
  switch (type) {
    case "rfq":
    case "quote":
    case "offer":
    case "confirm":
    case "confirmation":
    case "order":
    case "settlement":
      if (parlayId) {
        plan.parlayIds.add(parlayId);
        add(plan, qk.rfq(parlayId));
      } else plan.refetchRfqs = true;
      add(plan, qk.overview);
      if (type !== "rfq") add(plan, qk.exposureRoot);
      if (type === "order" || type === "settlement") add(plan, qk.settlements);
      break;
    case "wager":
    case "book":
    case "trade":
      add(plan, qk.marketRoot);
      if (type === "wager") {
        add(plan, qk.overview);
        add(plan, qk.controls);
      }
      break;
    case "health":
    case "status":
    case "lease":
    case "engine":
    case "kill_switch":
    case "quoting":
    case "settings":
    case "setting":
      add(plan, qk.controls);
      break;
    case "command": {
      const id = str(p.id) ?? str(p.commandId);
      if (id) add(plan, qk.command(id));
      add(plan, qk.controls);
      break;
    }
    case "audit":
      add(plan, qk.auditRoot);
      break;
    default:
      break;
  }
  if (type !== "audit") add(plan, qk.auditRoot);
};

/** Merges fresh rows into the cached RFQ list: replace by id, new ones on top (newest first), capped. */
export const mergeRfqRows = (list: RfqList, fresh: RfqRow[]): RfqList => {
  if (fresh.length === 0) return list;
  const byId = new Map(fresh.map((r) => [r.parlayId, r]));
  const rows = list.rows.map((r) => {
    const f = byId.get(r.parlayId);
    if (f) byId.delete(r.parlayId);
    return f ?? r;
  });
  const added = [...byId.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  const merged = added.length ? [...added, ...rows] : rows;
  return { ...list, rows: merged.slice(0, RFQ_LIMIT), total: list.total + added.length };
};

const patchRfqs = async (qc: QueryClient, ids: string[]): Promise<void> => {
  if (!qc.getQueryData(qk.rfqs())) return;
  const fresh = await apiFetch<RfqList>(`/api/desk/rfqs?ids=${ids.map(encodeURIComponent).join(",")}`);
  qc.setQueryData<RfqList>(qk.rfqs(), (old) => (old ? mergeRfqRows(old, fresh.rows) : old));
};

export function useLiveEvents(): void {
  const qc = useQueryClient();
  const setLive = useDeskUi((s) => s.setLive);
  useEffect(() => {
    let plan: Plan = { parlayIds: new Set(), keys: new Map(), refetchRfqs: false };
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastFlush = 0;
    let count = 0;
    let opened = false;

    const flush = () => {
      timer = null;
      lastFlush = performance.now();
      const p = plan;
      plan = { parlayIds: new Set(), keys: new Map(), refetchRfqs: false };
      if (p.refetchRfqs || p.parlayIds.size > PATCH_MAX_IDS) void qc.invalidateQueries({ queryKey: qk.rfqsRoot });
      else if (p.parlayIds.size) patchRfqs(qc, [...p.parlayIds]).catch(() => void qc.invalidateQueries({ queryKey: qk.rfqsRoot }));
      for (const key of p.keys.values()) void qc.invalidateQueries({ queryKey: key });
    };
    const schedule = () => {
      if (timer) return;
      const wait = lastFlush + FLUSH_MS - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    };

    const es = new EventSource("/api/live");
    const onEvent = (e: MessageEvent<string>) => {
      let type = e.type;
      let payload: unknown = null;
      let seq = Number(e.lastEventId) || 0;
      try {
        const d = JSON.parse(e.data) as { seq?: number; type?: string; payload?: unknown };
        payload = d.payload;
        if (type === "message" && d.type) type = d.type;
        if (typeof d.seq === "number") seq = d.seq;
      } catch {
        return;
      }
      count += 1;
      setLive({ lastSeq: seq, lastEventAtMs: Date.now(), events: count });
      planEvent(plan, type, payload);
      schedule();
    };
    es.addEventListener("message", onEvent);
    for (const t of LIVE_EVENT_TYPES) es.addEventListener(t, onEvent as EventListener);
    es.onopen = () => {
      setLive({ state: "open" });
      // Anything that happened between the first fetch and the stream opening (or while reconnecting
      // without a Last-Event-ID) is caught up by refetching what is on screen.
      if (opened) void qc.invalidateQueries({ queryKey: qk.all });
      else void qc.invalidateQueries({ queryKey: qk.rfqsRoot });
      opened = true;
    };
    es.onerror = () => setLive({ state: es.readyState === EventSource.CLOSED ? "closed" : "reconnecting" });
    setLive({ state: "connecting" });
    return () => {
      if (timer) clearTimeout(timer);
      es.close();
      setLive({ state: "closed" });
    };
  }, [qc, setLive]);
}
