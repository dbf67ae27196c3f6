"use client";
// The desk's data facade: react-query hooks over /api/desk/*. Components use these, never fetch.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ulid } from "ulid";
import type { AuditPage, BookTree, CommandView, ControlsView, ExposureView, MarketBook, OverviewView, RfqDetail, RfqList, SettlementsView } from "@/server/desk/types";
import { ApiError, apiFetch } from "./api-fetch";
import { qk } from "./keys";

/** Live-updated queries: pushed over SSE, so they need no timer of their own. */
const LIVE = { staleTime: Infinity, refetchOnWindowFocus: false } as const;

export const RFQ_LIMIT = 10_000;

export const useRfqs = () => useQuery({ queryKey: qk.rfqs(), queryFn: ({ signal }) => apiFetch<RfqList>(`/api/desk/rfqs?limit=${RFQ_LIMIT}`, { signal }), ...LIVE });

export const useRfq = (id: string | null) =>
  useQuery({ queryKey: qk.rfq(id ?? ""), queryFn: ({ signal }) => apiFetch<RfqDetail>(`/api/desk/rfqs/${encodeURIComponent(id!)}`, { signal }), enabled: !!id, ...LIVE });

export const useBookTree = () => useQuery({ queryKey: qk.bookTree, queryFn: ({ signal }) => apiFetch<BookTree>("/api/desk/book/tree", { signal }), staleTime: 60_000 });

export const useMarketBook = (key: string | null) =>
  useQuery({ queryKey: qk.market(key ?? ""), queryFn: ({ signal }) => apiFetch<MarketBook>(`/api/desk/book/market?key=${encodeURIComponent(key!)}`, { signal }), enabled: !!key, placeholderData: keepPreviousData, ...LIVE });

export const useExposure = (whatIf: string | null) =>
  useQuery({
    queryKey: qk.exposure(whatIf),
    queryFn: ({ signal }) => apiFetch<ExposureView>(`/api/desk/exposure${whatIf ? `?whatIf=${encodeURIComponent(whatIf)}` : ""}`, { signal }),
    placeholderData: keepPreviousData,
    ...LIVE,
  });

export const useSettlements = () => useQuery({ queryKey: qk.settlements, queryFn: ({ signal }) => apiFetch<SettlementsView>("/api/desk/settlements", { signal }), ...LIVE });

/** Health: pushed by `health` events; a slow 15 s safety refresh keeps heartbeat ages honest if the engine is silent. */
export const useControls = () =>
  useQuery({ queryKey: qk.controls, queryFn: ({ signal }) => apiFetch<ControlsView>("/api/desk/controls", { signal }), staleTime: 5_000, refetchInterval: 15_000 });

export const useOverview = () => useQuery({ queryKey: qk.overview, queryFn: ({ signal }) => apiFetch<OverviewView>("/api/desk/overview", { signal }), ...LIVE });

export const useAudit = (page: number, actorType?: string) =>
  useQuery({
    queryKey: qk.audit(page, actorType),
    queryFn: ({ signal }) => apiFetch<AuditPage>(`/api/desk/audit?page=${page}&pageSize=50${actorType ? `&actorType=${actorType}` : ""}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

/** A command's status until the engine answers; backs off (0.5 s → 4 s) and stops once done/failed. */
export const useCommandStatus = (id: string | null) =>
  useQuery({
    queryKey: qk.command(id ?? ""),
    queryFn: ({ signal }) => apiFetch<{ command: CommandView }>(`/api/desk/commands/${id}`, { signal }).then((r) => r.command),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "pending" ? false : Math.min(4_000, 500 * 2 ** Math.min(3, q.state.dataUpdateCount))),
  });

export type CommandRequest =
  | { type: "kill_switch"; payload?: { reason?: string } }
  | { type: "pause_quoting"; payload?: { reason?: string } }
  | { type: "resume_quoting"; payload?: Record<string, never> }
  | { type: "cancel_all"; payload?: Record<string, never> }
  | { type: "place_wager"; payload: { lineId: string; odds: number; stakeCents: number } }
  | { type: "cancel_wager"; payload: { externalId: string } }
  | { type: "override_quote"; payload: { parlayId: string; tiers: { odds: number; maxRiskCents: number }[] } }
  | { type: "decline_rfq"; payload: { parlayId: string; reason?: string } }
  | { type: "manual_quote"; payload: { parlayId: string; tiers: { odds: number; maxRiskCents: number }[] } }
  | { type: "update_settings"; payload: { key: string; value: unknown } };

export const newCommandId = (): string => `cmd_${ulid().toLowerCase()}`;

/**
 * Sends trader commands. The id is made once per action, so the automatic retry on a network error
 * reuses it and the server stores one command (idempotent).
 */
export const useSendCommand = () => {
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: (req: CommandRequest & { id: string }) => apiFetch<{ command: CommandView }>("/api/desk/commands", { method: "POST", body: { id: req.id, type: req.type, payload: req.payload ?? {} } }).then((r) => r.command),
    retry: (count, err) => count < 2 && err instanceof ApiError && (err.status === 0 || err.status >= 502),
    onSuccess: (cmd) => {
      qc.setQueryData(qk.command(cmd.id), cmd);
      void qc.invalidateQueries({ queryKey: qk.controls });
    },
  });
  return {
    ...m,
    send: (req: CommandRequest) => m.mutateAsync({ ...req, id: newCommandId() }),
  };
};

/** The signed-in user's role (actions are shown disabled for viewers; the server enforces it anyway). */
export { useRole } from "./use-role";
