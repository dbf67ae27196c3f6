"use client";
// UI state only (selections, filters, dialogs, live-connection indicator); server data lives in react-query.
import { create } from "zustand";
import type { RfqDisplayStatus } from "@/server/desk/types";

export type RfqFilters = { status: RfqDisplayStatus | "all"; search: string; minStakeCents: number | null; legs: number | null };
export type LiveState = "connecting" | "open" | "reconnecting" | "closed";

type DeskUi = {
  selectedParlayId: string | null;
  selectParlay: (id: string | null) => void;
  rfqFilters: RfqFilters;
  setRfqFilters: (f: Partial<RfqFilters>) => void;
  book: { tournamentId: number | null; eventId: number | null; marketKey: string | null };
  setBook: (b: Partial<DeskUi["book"]>) => void;
  whatIfParlayId: string | null;
  setWhatIf: (id: string | null) => void;
  killDialogOpen: boolean;
  setKillDialogOpen: (open: boolean) => void;
  live: { state: LiveState; lastSeq: number; lastEventAtMs: number | null; events: number };
  setLive: (l: Partial<DeskUi["live"]>) => void;
};

export const useDeskUi = create<DeskUi>()((set) => ({
  selectedParlayId: null,
  selectParlay: (id) => set({ selectedParlayId: id }),
  rfqFilters: { status: "all", search: "", minStakeCents: null, legs: null },
  setRfqFilters: (f) => set((s) => ({ rfqFilters: { ...s.rfqFilters, ...f } })),
  book: { tournamentId: null, eventId: null, marketKey: null },
  setBook: (b) => set((s) => ({ book: { ...s.book, ...b } })),
  whatIfParlayId: null,
  setWhatIf: (id) => set({ whatIfParlayId: id }),
  killDialogOpen: false,
  setKillDialogOpen: (open) => set({ killDialogOpen: open }),
  live: { state: "connecting", lastSeq: 0, lastEventAtMs: null, events: 0 },
  setLive: (l) => set((s) => ({ live: { ...s.live, ...l } })),
}));
