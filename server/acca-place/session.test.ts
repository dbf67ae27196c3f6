// Pure parts of the customer session: ?next= sanitising, cookie encoding, the betslip builder's ids.
import { describe, expect, it } from "vitest";
import { decodeSession, encodeSession, safeNext, sameOrigin } from "./session.ts";
import { accaBetslip, conditionLabelOf, placementIds } from "./betslip.ts";

describe("safeNext", () => {
  it("keeps same-origin relative paths", () => {
    expect(safeNext("/acca?bet=te_0123456789abcdef01234567&stake=10")).toBe("/acca?bet=te_0123456789abcdef01234567&stake=10");
    expect(safeNext("/account")).toBe("/account");
  });
  it.each(["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "acca", "", null, "/\u0000x", "http:/evil"])("refuses %j", (n) => {
    expect(safeNext(n as string | null)).toBe("/account");
  });
});

describe("session cookie", () => {
  it("round-trips and rejects junk", () => {
    const t = { userId: "cus_1", sessionToken: "s==", refreshToken: "r==", expiresAt: "2030-01-01T00:00:00.000Z", refreshExpiresAt: "2030-02-01T00:00:00.000Z" };
    expect(decodeSession(encodeSession(t))).toEqual({ u: "cus_1", s: "s==", r: "r==", e: Date.parse(t.expiresAt), re: Date.parse(t.refreshExpiresAt) });
    expect(decodeSession("nope")).toBeNull();
    expect(decodeSession(Buffer.from('{"u":1}').toString("base64url"))).toBeNull();
  });
  it("sameOrigin checks the Origin header against the host", () => {
    expect(sameOrigin(new Request("http://app.test/x", { headers: { origin: "http://app.test" } }))).toBe(true);
    expect(sameOrigin(new Request("http://app.test/x", { headers: { origin: "http://evil.test" } }))).toBe(false);
    expect(sameOrigin(new Request("http://app.test/x"))).toBe(true);
  });
});

describe("acca betslip", () => {
  it("derives stable UUIDs per customer and confirmation key", () => {
    const a = placementIds("cus_1", "k1");
    expect(placementIds("cus_1", "k1")).toEqual(a);
    expect(placementIds("cus_2", "k1").betId).not.toBe(a.betId);
    expect(new Set([a.betId, a.requestId, a.idempotencyKey]).size).toBe(3);
    for (const id of Object.values(a)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it("builds one team_exotics BetDetails with the TE bet_id as selection", () => {
    const struct = { matches: [{ league: "ENG.1", event: "A vs B" }, { league: "ENG.1", event: "C vs D" }, { league: "SPA.1", event: "E vs F" }], acca_conditions: [{ type: "wins", condition: "at_least", value: 2 }] };
    const slip = accaBetslip({ userId: "u", sessionToken: "s", teBetId: "te_abc", price: "5.25", stake: "10.00", description: "x".repeat(300), struct }, { requestId: "r", betId: "b" }, 1700000000000);
    expect(slip.timestamp).toBe("1700000000000");
    expect(slip.bets).toHaveLength(1);
    const b = slip.bets[0]!;
    expect(b).toMatchObject({ betId: "b", marketTypeId: "team_exotics", selectionId: "te_abc", marketId: "te_abc", decimalPrice: 5.25, stake: 10, sportId: "football", eventStage: "PRE_PLAY", marketStage: "PRE_PLAY", competitionName: "Team Exotics" });
    expect(b.eventName.length).toBeLessThanOrEqual(200);
    expect(conditionLabelOf(struct)).toBe("At least 2 of 3");
    expect(conditionLabelOf({ matches: struct.matches })).toBe("All 3 of 3");
  });
});
