import { describe, expect, it } from "vitest";
import { buildSports, parseMultipleMarkets, parseSelections, parseSportEvents, parseTournaments, selectionsByLine } from "./odds-board.ts";
import { geoVerdict, oddsChangedMessage, parseStakeInput, potentialProfitCents } from "./play.ts";

const sel = (line_id: string, odds: number, extra: Record<string, unknown> = {}) => ({ line_id, display_name: `s ${line_id}`, display_odds: odds > 0 ? `+${odds}` : `${odds}`, odds, stake: 42.81, line: 7.5, ...extra });

describe("affiliate parsing", () => {
  it("reads flat, nested and market_lines selections, skipping entries without a line_id or with bad odds", () => {
    expect(parseSelections({ selections: [sel("a", 119), { odds: 110 }, sel("b", 50)] }).map((s) => s.lineId)).toEqual(["a"]);
    expect(parseSelections({ selections: [[sel("a", 119), sel("a2", 118)], [], [sel("b", -139)]] }).map((s) => s.lineId)).toEqual(["a", "b"]);
    expect(parseSelections({ market_lines: [{ selections: [[sel("c", 105)], [sel("d", -115)]] }] }).map((s) => s.lineId)).toEqual(["c", "d"]);
    expect(parseSelections({ selections: [sel("a", 119)] })[0]).toEqual({ lineId: "a", name: "s a", odds: 119, displayOdds: "+119", stake: 42.81, line: 7.5 });
  });

  it("builds sport → event → market, leaving out events without priced markets", () => {
    const events = parseSportEvents({ data: { sport_events: [{ event_id: 2, name: "B", scheduled: "2030-01-02T00:00:00Z", tournament_id: 9, sport_name: "Baseball" }, { event_id: 1, name: "A", scheduled: "2030-01-01T00:00:00Z", tournament_id: 9, sport_name: "Baseball" }, { event_id: 3, name: "C" }] } }, { tournamentId: "9", sportName: "Hockey" });
    expect(events.map((e) => [e.id, e.sportName])).toEqual([["2", "Baseball"], ["1", "Baseball"], ["3", "Hockey"]]);
    expect(parseSportEvents({ data: { sport_events: null } }, { tournamentId: "9" })).toEqual([]);
    const markets = parseMultipleMarkets({ data: { "1": [{ id: 258, name: "Total", type: "total", selections: [sel("x", 119)] }], "2": [{ id: 1, name: "ML", selections: [sel("y", -110)] }], "3": [{ id: 1, selections: [] }] } });
    const sports = buildSports(events, markets);
    expect(sports).toHaveLength(1);
    expect(sports[0]!.events.map((e) => e.id)).toEqual(["1", "2"]);
    expect([...selectionsByLine(sports).keys()].sort()).toEqual(["x", "y"]);
    expect(parseTournaments({ data: { tournaments: [{ id: 109, name: "MLB", sport: { name: "Baseball" } }] } })).toEqual([{ id: "109", name: "MLB", sportName: "Baseball" }]);
  });
});

describe("play rules", () => {
  it("parses stakes to cents with clear messages", () => {
    expect(parseStakeInput("10")).toEqual({ ok: true, cents: 1000 });
    expect(parseStakeInput("$1,000.5")).toEqual({ ok: true, cents: 100050 });
    expect(parseStakeInput("")).toEqual({ ok: false, message: "Enter a stake." });
    expect(parseStakeInput("1.234").ok).toBe(false);
    expect(parseStakeInput("0.5")).toEqual({ ok: false, message: "The smallest stake is $1." });
    expect(parseStakeInput("abc").ok).toBe(false);
  });

  it("computes profit and the odds-moved message", () => {
    expect(potentialProfitCents(1000, 119)).toBe(1190);
    expect(potentialProfitCents(1000, -123)).toBe(813);
    expect(oddsChangedMessage(138, 145)).toBe("The odds moved from +138 to +145. Nothing was placed; check the new price and try again.");
  });

  it("passes a geolocation only with error_code 0 AND isActiveStates true", () => {
    const xml = (c: number) => `<response><error_code>${c}</error_code><error_message>m${c}</error_message></response>`;
    expect(geoVerdict({ data: { result: xml(0), isActiveStates: true } }).ok).toBe(true);
    expect(geoVerdict({ data: { result: xml(0), isActiveStates: false } })).toMatchObject({ ok: false, errorCode: 0, isActiveStates: false });
    expect(geoVerdict({ data: { result: xml(604), isActiveStates: true } })).toMatchObject({ ok: false, errorCode: 604, reason: "Your location could not be determined (m604)." });
    expect(geoVerdict({ data: { isActiveStates: true } }).ok).toBe(false);
    // Flag inside a JSON string (decrypted payload as text) is found too.
    expect(geoVerdict({ decrypted: JSON.stringify({ xml: xml(0), isActiveStates: true }) }).ok).toBe(true);
    expect(geoVerdict(`${xml(0)} "isActiveStates": true`).ok).toBe(true);
  });
});
