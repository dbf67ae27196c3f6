import { describe, expect, it } from "vitest";
import { applyMarketSelections, bookSignature, emptyBook, reconcileEvents, type MarketSelectionsMsg } from "./book.ts";
import { applyRefMessage, emptyRef, refFromMarkets } from "./reference.ts";

const msg = (seq: number, a: [string, number, number][], b: [string, number, number][], line: number | null = null): MarketSelectionsMsg => ({
  sport_event_id: 10,
  market_id: 219,
  info: { line, sequence_number: seq, selections: [a.map(([line_id, odds, stake]) => ({ line_id, odds, stake })), b.map(([line_id, odds, stake]) => ({ line_id, odds, stake }))] },
});

describe("applyMarketSelections", () => {
  const cases: { name: string; msgs: MarketSelectionsMsg[]; statuses: string[]; expected: Record<string, { odds: number; stakeCents: number }[]> }[] = [
    { name: "first message builds both sides", msgs: [msg(1, [["A", 120, 10]], [["B", -130, 5]])], statuses: ["applied"], expected: { A: [{ odds: 120, stakeCents: 1000 }], B: [{ odds: -130, stakeCents: 500 }] } },
    {
      name: "levels sorted best payout first and equal odds merged",
      msgs: [msg(1, [["A", 110, 1], ["A", 125, 2], ["A", 110, 3]], [])],
      statuses: ["applied"],
      expected: { A: [{ odds: 125, stakeCents: 200 }, { odds: 110, stakeCents: 400 }] },
    },
    { name: "duplicate sequence ignored", msgs: [msg(1, [["A", 120, 10]], []), msg(1, [["A", 150, 10]], [])], statuses: ["applied", "stale"], expected: { A: [{ odds: 120, stakeCents: 1000 }] } },
    { name: "out-of-order older message ignored", msgs: [msg(5, [["A", 120, 10]], []), msg(4, [["A", 150, 10]], [])], statuses: ["applied", "stale"], expected: { A: [{ odds: 120, stakeCents: 1000 }] } },
    { name: "jump in sequence reported as gap but applied", msgs: [msg(1, [["A", 120, 10]], []), msg(3, [["A", 130, 1]], [])], statuses: ["applied", "gap"], expected: { A: [{ odds: 130, stakeCents: 100 }] } },
    { name: "line missing from the next message is emptied", msgs: [msg(1, [["A", 120, 10]], [["B", -130, 5]]), msg(2, [["A", 120, 10]], [["", 0, 0]])], statuses: ["applied", "applied"], expected: { A: [{ odds: 120, stakeCents: 1000 }] } },
    { name: "zero stake placeholder clears the line", msgs: [msg(1, [["A", 120, 10]], []), msg(2, [["A", 120, 0]], [])], statuses: ["applied", "applied"], expected: {} },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = emptyBook();
      const got = c.msgs.map((m) => applyMarketSelections(s, m, 1).status);
      expect(got).toEqual(c.statuses);
      expect(bookSignature(s)).toEqual(c.expected);
    });
  }
  it("reports changed lines only", () => {
    const s = emptyBook();
    expect(applyMarketSelections(s, msg(1, [["A", 120, 10]], [["B", -130, 5]]), 1).changedLines.sort()).toEqual(["A", "B"]);
    expect(applyMarketSelections(s, msg(2, [["A", 120, 10]], [["B", -125, 5]]), 2).changedLines).toEqual(["B"]);
  });
});

describe("reconcileEvents", () => {
  it("repairs a missed message and makes the book equal to REST", () => {
    const s = emptyBook();
    applyMarketSelections(s, msg(1, [["A", 120, 10]], [["B", -130, 5]]), 1);
    // REST says A moved and a spread block exists.
    const rest = new Map([
      [
        10,
        [
          { id: 219, selections: [[{ line_id: "A", odds: 140, stake: 7 }], [{ line_id: "B", odds: -130, stake: 5 }]] },
          { id: 223, market_lines: [{ line: -3.5, selections: [[{ line_id: "S1", odds: 105, stake: 2 }], [{ line_id: "S2", odds: -115, stake: 2 }]] }] },
        ],
      ],
    ]);
    const changed = reconcileEvents(s, rest, 2);
    expect(changed.sort()).toEqual(["A", "S1", "S2"]);
    expect(bookSignature(s)).toEqual({ A: [{ odds: 140, stakeCents: 700 }], B: [{ odds: -130, stakeCents: 500 }], S1: [{ odds: 105, stakeCents: 200 }], S2: [{ odds: -115, stakeCents: 200 }] });
    // Sequence baseline reset: the next message is accepted whatever its number.
    expect(applyMarketSelections(s, msg(1, [["A", 150, 1]], [["B", -130, 5]]), 3).status).toBe("applied");
  });
  it("clears blocks REST no longer lists", () => {
    const s = emptyBook();
    applyMarketSelections(s, msg(1, [["A", 120, 10]], []), 1);
    expect(reconcileEvents(s, new Map([[10, []]]), 2)).toEqual(["A"]);
    expect(bookSignature(s)).toEqual({});
  });
});

describe("sequence numbers are per market line (protocol-decisions.md)", () => {
  // Three handicap lines of ONE market, each with its own counter, all starting at the same value
  // (as the simulator numbers them): none of these messages is stale.
  const spread = (line: number, seq: number, odds: number): MarketSelectionsMsg => ({
    sport_event_id: 10,
    market_id: 223,
    info: { id: `ml${line}`, line, sequence_number: seq, selections: [[{ line_id: `H${line}`, odds, stake: 5 }], [{ line_id: `A${line}`, odds: -odds, stake: 5 }]] },
  });
  const S0 = 1_795_229_660_398_001;
  it("interleaved lines of one market are all applied; only true duplicates and older messages are stale", () => {
    const s = emptyBook();
    const got = [spread(-3.5, S0 + 1, 110), spread(-0.5, S0 + 1, 120), spread(2.5, S0 + 1, 130), spread(-3.5, S0 + 2, 111), spread(2.5, S0 + 2, 131), spread(-0.5, S0 + 2, 121)].map((m) => applyMarketSelections(s, m, 1).status);
    expect(got).toEqual(["applied", "applied", "applied", "applied", "applied", "applied"]);
    expect(applyMarketSelections(s, spread(-0.5, S0 + 2, 199), 2).status).toBe("stale"); // duplicate
    expect(applyMarketSelections(s, spread(2.5, S0 + 1, 199), 2).status).toBe("stale"); // out of order
    expect(applyMarketSelections(s, spread(-3.5, S0 + 4, 112), 2).status).toBe("gap"); // one message of that line lost
    expect(bookSignature(s)).toMatchObject({ "H-3.5": [{ odds: 112 }], "H-0.5": [{ odds: 121 }], "H2.5": [{ odds: 131 }] });
  });

  const snap = (seq: number | undefined, odds: number, fetchStartedMs?: number) =>
    Object.assign(new Map([[10, [{ id: 223, market_lines: [{ line: -3.5, ...(seq !== undefined ? { sequence_number: seq } : {}), selections: [[{ line_id: "H-3.5", odds, stake: 5 }], [{ line_id: "A-3.5", odds: -odds, stake: 5 }]] }] }]]]), fetchStartedMs !== undefined ? { fetchStartedMs } : {});

  it("a snapshot's sequence_number becomes the line's baseline: older messages in flight are stale, the next one continues", () => {
    const s = emptyBook();
    applyMarketSelections(s, spread(-3.5, S0 + 1, 110), 1);
    reconcileEvents(s, snap(S0 + 3, 115), 2); // REST is two messages ahead
    expect(bestOdds(s)).toBe(115);
    expect(applyMarketSelections(s, spread(-3.5, S0 + 2, 112), 3).status).toBe("stale");
    expect(applyMarketSelections(s, spread(-3.5, S0 + 3, 115), 3).status).toBe("stale");
    expect(applyMarketSelections(s, spread(-3.5, S0 + 4, 116), 3).status).toBe("applied");
    expect(bestOdds(s)).toBe(116);
  });

  it("an older snapshot (lower sequence_number) never overwrites newer socket data", () => {
    const s = emptyBook();
    applyMarketSelections(s, spread(-3.5, S0 + 5, 140), 1);
    expect(reconcileEvents(s, snap(S0 + 4, 130), 2)).toEqual([]);
    expect(bestOdds(s)).toBe(140);
    expect(applyMarketSelections(s, spread(-3.5, S0 + 6, 141), 3).status).toBe("applied");
  });

  it("without sequence numbers, blocks the socket updated after the fetch started are kept; older ones are repaired", () => {
    const s = emptyBook();
    applyMarketSelections(s, spread(-3.5, 7, 140), 100); // socket update at t=100
    expect(reconcileEvents(s, snap(undefined, 130, 90), 120)).toEqual([]); // fetched from t=90: older than the update
    expect(bestOdds(s)).toBe(140);
    expect(reconcileEvents(s, snap(undefined, 130, 101), 130).sort()).toEqual(["A-3.5", "H-3.5"]); // fetched after it: REST wins
    expect(bestOdds(s)).toBe(130);
    expect(applyMarketSelections(s, spread(-3.5, 1, 150), 140).status).toBe("applied"); // baseline reset
  });

  it("a moneyline listed both at top level and under market_lines is one block with the line's sequence number", () => {
    const s = emptyBook();
    const sides = [[{ line_id: "H", odds: 120, stake: 1 }], [{ line_id: "A", odds: -130, stake: 1 }]];
    reconcileEvents(s, new Map([[10, [{ id: 219, selections: sides, market_lines: [{ line: 0, sequence_number: 50, selections: sides }] }]]]), 1);
    expect(s.seqs.get("10:219:0")).toBe(50);
    expect(applyMarketSelections(s, msg(50, [["H", 125, 1]], [["A", -130, 1]], 0), 2).status).toBe("stale");
    expect(applyMarketSelections(s, msg(51, [["H", 125, 1]], [["A", -130, 1]], 0), 2).status).toBe("applied");
  });
});

const bestOdds = (s: ReturnType<typeof emptyBook>) => s.lines.get("H-3.5")?.levels[0]?.odds;

describe("reference reducer", () => {
  const b64 = (_: unknown) => _;
  const cases: { name: string; ct: string; op: string; payload: unknown; check: (r: ReturnType<typeof emptyRef>) => unknown; expected: unknown }[] = [
    { name: "tournament create", ct: "tournament", op: "c", payload: { id: "132", info: { id: 132, name: "NBA", sport: { id: 1, name: "Basketball" } } }, check: (r) => r.tournaments.get(132)?.sportName, expected: "Basketball" },
    {
      name: "sport_event create",
      ct: "sport_event",
      op: "c",
      payload: { id: "7", tournament_id: "132", info: { event_id: 7, name: "A v B", status: "not_started", scheduled: "2030-01-01T00:00:00Z", tournament_id: 132 } },
      check: (r) => r.events.get(7)?.status,
      expected: "not_started",
    },
    { name: "sport_event delete marks unlisted", ct: "sport_event", op: "d", payload: { id: "7", tournament_id: "132" }, check: (r) => r.events.get(7)?.status, expected: "unlisted" },
    { name: "market_line update", ct: "market_line", op: "u", payload: { id: 1, info: { line_id: "L", sport_event_id: 7, market_id: 223, outcome_id: 1714, line: -3.5, status: "active" } }, check: (r) => r.lines.get("L")?.line, expected: -3.5 },
    { name: "unknown change type ignored", ct: "weird", op: "u", payload: {}, check: (r) => r.lines.size, expected: 1 },
  ];
  const r = emptyRef();
  r.events.set(7, { id: 7, tournamentId: 132, name: "", displayName: "", scheduledAt: "", status: "x", competitors: [] });
  for (const c of cases) {
    it(c.name, () => {
      applyRefMessage(r, c.ct, c.op, b64(c.payload));
      expect(c.check(r)).toEqual(c.expected);
    });
  }
  it("extracts lines from REST markets", () => {
    const { markets, lines } = refFromMarkets(7, [{ id: 219, name: "Winner", type: "moneyline", selections: [[{ line_id: "H", outcome_id: 4 }], [{ line_id: "A", outcome_id: 5 }]] }]);
    expect(markets.map((m) => m.key)).toEqual(["7:219"]);
    expect(lines.map((l) => [l.lineId, l.outcomeId])).toEqual([["H", 4], ["A", 5]]);
  });
});
