"use client";
// Client state of the designer's slip (zustand). Server state (matches, prices) lives in react-query.
import { create } from "zustand";
import { legKey, type SlipLeg } from "./slip";

export const MAX_SLIP_LEGS = 20;

interface SlipState {
  legs: SlipLeg[];
  /** How many legs must win; null = all of them. */
  atLeast: number | null;
  toggle: (leg: SlipLeg) => void;
  remove: (key: string) => void;
  setAtLeast: (k: number) => void;
  replace: (legs: SlipLeg[], atLeast: number) => void;
  clear: () => void;
}

const clampK = (k: number | null, n: number): number | null => (k === null || k >= n ? null : Math.max(1, k));

export const useSlip = create<SlipState>((set) => ({
  legs: [],
  atLeast: null,
  toggle: (leg) =>
    set((s) => {
      const key = legKey(leg);
      const exists = s.legs.some((l) => legKey(l) === key);
      if (!exists && s.legs.length >= MAX_SLIP_LEGS) return s;
      const legs = exists ? s.legs.filter((l) => legKey(l) !== key) : [...s.legs, leg];
      return { legs, atLeast: clampK(s.atLeast, legs.length) };
    }),
  remove: (key) =>
    set((s) => {
      const legs = s.legs.filter((l) => legKey(l) !== key);
      return { legs, atLeast: clampK(s.atLeast, legs.length) };
    }),
  setAtLeast: (k) => set((s) => ({ atLeast: clampK(k, s.legs.length) })),
  replace: (legs, atLeast) => set({ legs: legs.slice(0, MAX_SLIP_LEGS), atLeast: clampK(atLeast, legs.length) }),
  clear: () => set({ legs: [], atLeast: null }),
}));
