// fastPlan (the part of the limits place_bets() leaves to the caller) is exact: checkBetslip accepts a
// slip for a customer state iff fastPlan returns a plan AND the state passes the checks place_bets()
// makes in SQL (balance ≥ total, not blocked, outside the cool-down, per market type open liability +
// the slip's liability ≤ cap). Pure functions, no database.
import { describe, expect, it } from "vitest";
import { checkBetslip, limitsFromJson, parseBetslip, type CustomerState, type Limits, type ParsedBetslip } from "../../lib/operator/betslip.ts";
import { fastPlan, pgArray } from "./place-bets-pg.ts";
import { makeBet, makeSlip } from "./testkit.ts";

const user = { userId: "u", sessionToken: "s" };

/** What place_bets() decides in SQL, given the plan (mirrors the function's steps 3 and 3b). */
const sqlAccepts = (plan: NonNullable<ReturnType<typeof fastPlan>>, st: CustomerState, now: Date): boolean => {
  if (st.balanceCents - plan.total < 0n) return false;
  if (st.blocked) return false;
  if (plan.cooldownMs > 0 && st.lastBetAt && now.getTime() - st.lastBetAt.getTime() < plan.cooldownMs) return false;
  return plan.marketTypes.every((mt, i) => (st.openLiabilityCents.get(mt) ?? 0n) + plan.liability[i]! <= plan.liabilityCap[i]!);
};

const accepts = (slip: ParsedBetslip, st: CustomerState, limits: Limits, now: Date): boolean | "throws" => {
  try {
    checkBetslip(slip.bets, st, limits, now);
    return true;
  } catch (e) {
    return (e as { errorCode?: string }).errorCode ? false : "throws";
  }
};

describe("fastPlan", () => {
  it("agrees with checkBetslip on random slips, states and limits", () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
    const limitTexts = [
      null,
      "not json",
      "null",
      '{"cooldownMs":0,"maxLiabilityCents":{"default":100000000000000}}',
      '{"minStakeCents":0}',
      '{"minStakeCents":150.5}',
      '{"minStakeCents":"5000"}',
      '{"maxStakeCents":1000,"cooldownMs":60000}',
      '{"cooldownMs":1500.5}',
      '{"cooldownMs":-5}',
      '{"maxLiabilityCents":{"match_odds":1500}}',
      '{"maxLiabilityCents":{"match_odds":"1000","totals":2000}}',
      '{"maxLiabilityCents":{"default":null}}',
      '{"maxLiabilityCents":{"match_odds":null,"default":1400}}',
      '{"maxLiabilityCents":{"default":2.5}}',
      '{"maxLiabilityCents":5}',
      '{"maxLiabilityCents":"abc"}',
    ];
    const now = new Date(1_800_000_000_000);
    let agreed = 0;
    const seen = { accepted: 0, rejected: 0, planRejectedByDb: 0 };
    for (let i = 0; i < 4000; i++) {
      const limits = limitsFromJson(pick(limitTexts));
      const n = 1 + rnd(3);
      const slip = parseBetslip(
        makeSlip(
          user,
          Array.from({ length: n }, () =>
            makeBet({ stake: pick([0, 0.01, 1, 1, 3.33, 10, 10, 15, 15, 50, 10_000.01]), decimalPrice: pick([1.01, "2.1", 2.5, 3.333, 1000]), marketTypeId: pick(["match_odds", "totals", "x"]) }),
          ),
        ),
      );
      const st: CustomerState = {
        balanceCents: BigInt(pick([0, 1999, 2000, 100_000, 10 ** 9, 10 ** 9])),
        blocked: rnd(20) === 0,
        lastBetAt: pick([null, new Date(now.getTime() - 1000), new Date(now.getTime() - 1500), new Date(now.getTime() - 61_000)]),
        openLiabilityCents: new Map(
          ["match_odds", "totals"].filter(() => rnd(2) === 0).map((mt) => [mt, BigInt(pick([0, 1, 150, 1000, 1499, 1500, 10 ** 6]))] as const),
        ),
      };
      const want = accepts(slip, st, limits, now);
      const plan = fastPlan(slip, limits);
      if (want === "throws") {
        expect(plan).toBeNull(); // checkBetslip cannot read these limits: the transactional path answers (500)
        continue;
      }
      const got = plan !== null && sqlAccepts(plan, st, now);
      seen[want ? "accepted" : "rejected"]++;
      if (plan !== null && !want) seen.planRejectedByDb++;
      // No plan = the transactional path decides: right for any rejection, and the only choice for a
      // cool-down place_bets() cannot compare exactly (not a safe integer).
      if (plan === null) expect(!want || (limits.cooldownMs > 0 && !Number.isSafeInteger(limits.cooldownMs))).toBe(true);
      else expect(got, JSON.stringify({ limits, st: { ...st, balanceCents: String(st.balanceCents), openLiabilityCents: [...st.openLiabilityCents].map(([k, v]) => [k, String(v)]) } })).toBe(want);
      agreed++;
    }
    expect(agreed).toBeGreaterThan(3000);
    // Both answers, and rejections that only the database-side checks make, are well represented.
    expect(seen.accepted).toBeGreaterThan(300);
    expect(seen.rejected).toBeGreaterThan(300);
    expect(seen.planRejectedByDb).toBeGreaterThan(300);
  });

  it("plans what place_bets() needs: total, ids, cool-down, the slip's liability and the cap per market type", () => {
    const slip = parseBetslip(makeSlip(user, [makeBet({ betId: "a", stake: 10, decimalPrice: 2.5 }), makeBet({ betId: "b", stake: 1.03, decimalPrice: "2.1", marketTypeId: "totals" }), makeBet({ betId: "c", stake: 4, decimalPrice: 2.5 })]));
    const plan = fastPlan(slip, limitsFromJson('{"cooldownMs":5000,"maxLiabilityCents":{"default":100000,"totals":500}}'));
    // match_odds: (2500 − 1000) + (1000 − 400) = 2100 of 100000; totals: 216 − 103 = 113 of 500.
    expect(plan).toEqual({ total: 1503n, betIds: ["a", "b", "c"], cooldownMs: 5000, marketTypes: ["match_odds", "totals"], liability: [2100n, 113n], liabilityCap: [100_000n, 500n] });
    expect(fastPlan(slip, limitsFromJson('{"maxStakeCents":500}'))).toBeNull();
  });

  it("pgArray quotes every element", () => {
    expect(pgArray(["a", 'b"c', "d\\e", "NULL", ""])).toBe('{"a","b\\"c","d\\\\e","NULL",""}');
  });
});
