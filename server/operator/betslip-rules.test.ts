import { describe, expect, it } from "vitest";
import { checkBetslip, parseBetslip, limitsFromJson, canonicalJson, OperatorError, DEFAULT_LIMITS, type ParsedBet } from "../../lib/operator/betslip.ts";
import { makeBet, makeSlip } from "./testkit.ts";

const user = { userId: "u", sessionToken: "s" };
const bets = (...over: Record<string, unknown>[]): ParsedBet[] => parseBetslip(makeSlip(user, over.map((o) => makeBet(o)))).bets;
const codeOf = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as OperatorError).errorCode;
  }
};
const state = { balanceCents: 100_000n, blocked: false, lastBetAt: null, openLiabilityCents: new Map<string, bigint>() };

describe("betslip rules", () => {
  it.each([
    ["ok", {}, {}, null],
    ["insufficient funds beats limits", { balanceCents: 500n, blocked: true }, {}, "INSUFFICIENT_FUNDS"],
    ["blocked", { blocked: true }, {}, "USER_BLOCKED"],
    ["cool-down", { lastBetAt: new Date(Date.now() - 1000) }, { cooldownMs: 5000 }, "USER_BLOCKED"],
    ["cool-down over", { lastBetAt: new Date(Date.now() - 6000) }, { cooldownMs: 5000 }, null],
    ["min stake", {}, { minStakeCents: 2000 }, "INVALID_STAKE"],
    ["max stake", {}, { maxStakeCents: 999 }, "INVALID_STAKE"],
    ["liability", { openLiabilityCents: new Map([["match_odds", 9_000n]]) }, { maxLiabilityCents: { default: 10_000 } }, "INVALID_STAKE"],
  ] as const)("%s", (_n, s, l, want) => {
    expect(codeOf(() => checkBetslip(bets({ stake: 10 }), { ...state, ...s }, { ...DEFAULT_LIMITS, ...l }, new Date()))).toBe(want);
  });

  it("liability accumulates across the bets of one slip and reports the stake that would still fit", () => {
    try {
      checkBetslip(bets({ stake: 10, decimalPrice: 3 }, { stake: 10, decimalPrice: 3 }), state, { ...DEFAULT_LIMITS, maxLiabilityCents: { default: 3000 } }, new Date());
      expect.unreachable();
    } catch (e) {
      expect((e as OperatorError).failedBets?.map((f) => f.reason)).toEqual([{ maxStake: 5 }]);
    }
  });

  it("limitsFromJson merges over the defaults and survives junk", () => {
    expect(limitsFromJson('{"cooldownMs":5}').cooldownMs).toBe(5);
    expect(limitsFromJson("not json")).toEqual(DEFAULT_LIMITS);
  });

  it("canonicalJson ignores key order", () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
  });
});
