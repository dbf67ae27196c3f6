// The TE API end to end: route handlers called with Request objects, on real databases (SQLite and
// Postgres, as TEST_DB_PROVIDERS allows), with an injected clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import Ajv from "ajv";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import { getLeague, findMatchByName, simulatedOutcome, MATCH_DURATION_MS } from "./catalog.ts";
import { accaWinsDistribution } from "../../lib/exotics/acca.ts";
import { matchModelFor } from "./catalog.ts";
import { legWins } from "../../lib/exotics/outcome.ts";
import { addOperator, call, loginCookie, makeTe, PRESEASON_MS } from "./testkit.ts";
import { settleTeBets } from "./settle.ts";
import type { StoredLeg } from "./pricing.ts";

const KEY = "te-test-key-1";
const OTHER_KEY = "te-test-key-2";

const seedExample = {
  matches: [
    { league: "ENG.1", event: "Liverpool vs Everton", selection: "Liverpool" },
    { league: "SPA.1", event: "Barcelona vs Real Madrid", selection: "Real Madrid" },
    { league: "ITA.1", event: "Juventus vs Napoli", selection: "Napoli" },
  ],
  acca_conditions: [{ type: "wins", condition: "greater_than", value: 1 }],
};

describe.each(testProviders())("TE API on %s", (provider) => {
  let t: TestDb;
  let te: ReturnType<typeof makeTe>;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestDb(provider);
    await addOperator(t.db, "op_a", KEY);
    await addOperator(t.db, "op_b", OTHER_KEY);
    te = makeTe(t.db);
  });
  // Tests travel in time; each starts before the season with a fresh session.
  beforeEach(async () => {
    te.clock.t = PRESEASON_MS;
    cookie = await loginCookie(te.handlers, KEY);
  });
  afterAll(async () => {
    await t?.drop();
  });

  describe("login and sessions", () => {
    it("refuses a bad or missing api_key with 401", async () => {
      const bad = await call(te.handlers.login, "POST", "/api/login", { form: { api_key: "nope" } });
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual({ status: "error", message: "invalid api_key" });
      const missing = await call(te.handlers.login, "POST", "/api/login", { form: {} });
      expect(missing.body).toEqual({ status: "error", message: "api_key is required" });
    });

    it("logs in with a form body (seed) or JSON, setting an HttpOnly cookie for an hour", async () => {
      const r = await call(te.handlers.login, "POST", "/api/login", { form: { api_key: KEY } });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: "ok" });
      const c = r.headers.get("set-cookie")!;
      expect(c).toMatch(/^te_session=[A-Za-z0-9_-]{43}; Path=\/te; Max-Age=3600; HttpOnly; SameSite=Lax$/);
      const j = await call(te.handlers.login, "POST", "/api/login", { json: { api_key: KEY } });
      expect(j.body).toEqual({ status: "ok" });
    });

    it("every other call needs the cookie: not logged in / session expired", async () => {
      const none = await call(te.handlers.leagues, "GET", "/api/leagues");
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ status: "error", message: "not logged in" });
      const forged = await call(te.handlers.leagues, "GET", "/api/leagues", { cookie: "te_session=forged" });
      expect(forged.body.message).toBe("not logged in");

      const start = te.clock.t;
      const c = await loginCookie(te.handlers, KEY);
      te.clock.t = start + 59 * 60 * 1000;
      expect((await call(te.handlers.leagues, "GET", "/api/leagues", { cookie: c })).status).toBe(200);
      te.clock.t = start + 60 * 60 * 1000;
      const expired = await call(te.handlers.leagues, "GET", "/api/leagues", { cookie: c });
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ status: "error", message: "session expired" });
      const again = await loginCookie(te.handlers, KEY);
      expect((await call(te.handlers.leagues, "GET", "/api/leagues", { cookie: again })).status).toBe(200);
      te.clock.t = start;
    });
  });

  describe("reference data", () => {
    it("leagues, teams, matches, goalscorers in the seed's shapes", async () => {
      const leagues = await call(te.handlers.leagues, "GET", "/api/leagues", { cookie });
      expect(leagues.body).toEqual(expect.arrayContaining([{ name: "ENG.1", full_name: "English Premier League", country: "England" }]));
      expect(leagues.body.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(["ENG.1", "SPA.1", "ITA.1"]));

      const teams = await call(te.handlers.teams, "GET", "/api/teams?league=ENG.1", { cookie });
      expect(teams.body).toHaveLength(20);
      expect(teams.body).toContainEqual({ name: "Arsenal" });

      const matches = await call(te.handlers.matches, "GET", "/api/matches?league=ENG.1", { cookie });
      expect(matches.body).toHaveLength(380);
      expect(matches.body[0]).toMatchObject({ name: expect.stringMatching(/^.+ vs .+$/), state: "upcoming" });
      expect(matches.body.map((m: { name: string }) => m.name)).toContain("Arsenal vs Liverpool");

      const scorers = await call(te.handlers.goalscorers, "GET", "/api/goalscorers?league=ENG.1", { cookie });
      expect(scorers.body).toContainEqual({ name: "Mohamed Salah", team: "Liverpool" });
      const inMatch = await call(te.handlers.goalscorers, "GET", `/api/goalscorers?league=ENG.1&event=${encodeURIComponent("Liverpool vs Everton")}`, { cookie });
      expect(new Set(inMatch.body.map((p: { team: string }) => p.team))).toEqual(new Set(["Liverpool", "Everton"]));
    });

    it("unknown or missing league is an error naming it", async () => {
      const r = await call(te.handlers.teams, "GET", "/api/teams?league=XXX.9", { cookie });
      expect(r.status).toBe(404);
      expect(r.body.message).toBe('league "XXX.9" not found (known: ENG.1, SPA.1, ITA.1)');
      expect((await call(te.handlers.matches, "GET", "/api/matches", { cookie })).body.message).toMatch(/league is required/);
    });

    it("matches drop off the upcoming list after kickoff and show a score once finished", async () => {
      const eng = getLeague("ENG.1")!;
      const first = findMatchByName(eng, "Liverpool vs Everton", PRESEASON_MS)!;
      te.clock.t = first.kickoffMs + MATCH_DURATION_MS;
      const up = await call(te.handlers.matches, "GET", "/api/matches?league=ENG.1", { cookie: await loginCookie(te.handlers, KEY) });
      expect(up.body.every((m: { kickoff: string }) => Date.parse(m.kickoff) > te.clock.t)).toBe(true);
      const fin = await call(te.handlers.matches, "GET", "/api/matches?league=ENG.1&status=finished", { cookie: await loginCookie(te.handlers, KEY) });
      const o = simulatedOutcome(first);
      expect(fin.body).toContainEqual(expect.objectContaining({ name: "Liverpool vs Everton", state: "finished", score: `${o.home}-${o.away}` }));
      te.clock.t = PRESEASON_MS;
    });
  });

  describe("products", () => {
    it("serves the market bible with a JSON Schema per product; each example validates", async () => {
      const r = await call(te.handlers.products, "GET", "/api/products", { cookie });
      const names = r.body.map((p: { name: string }) => p.name);
      for (const n of ["Match Winners", "Match Losers", "Draws", "Both Teams To Score", "Over/Under Goals", "Clean Sheets", "Goalscorers", "Corners", "Cards", "Bet Builder"]) {
        expect(names).toContain(n);
      }
      const ajv = new Ajv({ strict: false });
      for (const p of r.body) {
        const validate = ajv.compile(p.schema);
        expect(validate(p.example), `${p.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    });
  });

  describe("pricing", () => {
    it("prices the seed's example: bet_id, 2-dp price, fair probability, legs", async () => {
      const r = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: seedExample });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe("ok");
      expect(r.body.bet_id).toMatch(/^te_[0-9a-f]{24}$/);
      expect(r.body.price).toMatch(/^\d+\.\d{2}$/);
      expect(r.body.description).toBe("At least 2 of: Liverpool to beat Everton; Real Madrid to win at Barcelona; Napoli to win at Juventus");
      // Independent check of the fair probability with the pure engine.
      const legs = seedExample.matches.map((m, i) => {
        const match = findMatchByName(getLeague(m.league)!, m.event, PRESEASON_MS)!;
        return { matchKey: match.id, model: matchModelFor(match), leg: { market: "match_winner" as const, side: i === 0 ? ("home" as const) : ("away" as const) } };
      });
      const d = accaWinsDistribution(legs);
      expect(r.body.fair_probability).toBeCloseTo(d.pmf[2]! + d.pmf[3]!, 7);
      r.body.legs.forEach((l: { probability: number }, i: number) => expect(l.probability).toBeCloseTo(d.marginals[i]!, 5));
      const margined = 1 / (r.body.fair_probability * (1 + 0.05 + 0.015 * 2));
      expect(Number(r.body.price)).toBeLessThanOrEqual(margined);
      expect(Number(r.body.price)).toBeGreaterThan(margined - 0.01);
    });

    it("same struct → same bet_id (key order, case, curl's form content type); any change → new bet_id", async () => {
      const a = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: seedExample });
      const reordered = {
        acca_conditions: [{ value: 1, condition: "greater_than", type: "wins" }],
        matches: seedExample.matches.map((m) => ({ selection: m.selection.toUpperCase(), event: m.event.toLowerCase(), league: m.league.toLowerCase() })),
      };
      const b = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, raw: JSON.stringify(reordered) });
      expect(b.body.bet_id).toBe(a.body.bet_id);
      expect(b.body.price).toBe(a.body.price);
      const changed = { ...seedExample, acca_conditions: [{ type: "wins", condition: "greater_than", value: 0 }] };
      const c = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: changed });
      expect(c.body.bet_id).not.toBe(a.body.bet_id);
      expect(Number(c.body.price)).toBeLessThan(Number(a.body.price));
      // Another operator gets its own bet_id for the same struct.
      const other = await call(te.handlers.price, "POST", "/api/bets/price", { cookie: await loginCookie(te.handlers, OTHER_KEY), json: seedExample });
      expect(other.body.bet_id).not.toBe(a.body.bet_id);
    });

    it("prices mixed same-match legs jointly (Bet Builder, at least 3 of 5)", async () => {
      const bb = {
        product: "Bet Builder",
        matches: [
          { league: "ENG.1", event: "Liverpool vs Everton", market: "match_winner", selection: "Liverpool" },
          { league: "ENG.1", event: "Liverpool vs Everton", market: "total_goals", selection: "over 2.5" },
          { league: "ENG.1", event: "Liverpool vs Everton", market: "corners", selection: "over 9.5" },
          { league: "ENG.1", event: "Liverpool vs Everton", market: "goalscorer", player: "Salah" },
          { league: "SPA.1", event: "Real Madrid vs Getafe", market: "cards", selection: "over 4.5" },
        ],
        acca_conditions: [{ type: "wins", condition: "at_least", value: 3 }],
      };
      const r = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: bb });
      expect(r.status).toBe(200);
      expect(r.body.legs.map((l: { market: string }) => l.market)).toEqual(["match_winner", "total_goals", "corners", "goalscorer", "cards"]);
      expect(r.body.legs[3].selection).toBe("Mohamed Salah");
      expect(r.body.description).toMatch(/^At least 3 of: Liverpool to beat Everton; Over 2.5 goals in Liverpool vs Everton; Over 9.5 corners/);
    });

    it.each([
      [{ ...seedExample, matches: [{ league: "XXX.1", event: "A vs B", selection: "A" }] }, 'matches[0].league: league "XXX.1" not found (known: ENG.1, SPA.1, ITA.1)'],
      [{ ...seedExample, matches: [{ ...seedExample.matches[0], event: "Liverpool vs Everton FC" }] }, 'matches[0].event: match "Liverpool vs Everton FC" not found in ENG.1 (no club called "Everton FC" in ENG.1)'],
      [{ ...seedExample, matches: [seedExample.matches[0], { ...seedExample.matches[1], selection: "Arsenal" }] }, 'matches[1].selection: "Arsenal" is not a team in Barcelona vs Real Madrid (choose "Barcelona" or "Real Madrid")'],
      [{ ...seedExample, acca_conditions: [{ type: "wins", condition: "greater_than", value: 3 }] }, 'acca_conditions[0]: "wins greater_than 3" is impossible (there are only 3 legs)'],
      [{ ...seedExample, acca_conditions: [{ type: "wins", condition: "greater_than", value: -1 }] }, "acca_conditions[0].value: must be >= 0 (got -1)"],
      [{ ...seedExample, acca_conditions: [{ type: "goals", condition: "greater_than", value: 1 }] }, 'acca_conditions[0].type: must be "wins" (got "goals")'],
      [{ ...seedExample, acca_conditions: [{ type: "wins", condition: "more_than", value: 1 }] }, "acca_conditions[0].condition: must be one of greater_than, at_least, greater_than_or_equal, equals, exactly, less_than, at_most, less_than_or_equal (got \"more_than\")"],
      [{ matches: [{ league: "ENG.1", event: "Liverpool vs Everton" }] }, 'matches[0]: missing required field "selection"'],
      [{ matches: [{ ...seedExample.matches[0], colour: "red" }] }, 'matches[0]: unknown field "colour"'],
      [{ matches: [] }, "matches: needs at least 1 item(s)"],
      [{ acca_conditions: [] }, 'bet: missing required field "matches"'],
      [{ ...seedExample, product: "Lottery" }, 'product: unknown product "Lottery" (known: Match Winners, Match Losers, Draws, Both Teams To Score, Over/Under Goals, Clean Sheets, Goalscorers, Corners, Cards, Bet Builder)'],
      [{ product: "Over/Under Goals", matches: [{ league: "ENG.1", event: "Liverpool vs Everton", selection: "over 2" }] }, 'matches[0].selection: must be "over N.5" or "under N.5" (total goals), with N.5 from 0.5 to 9.5 (got "over 2")'],
      [{ product: "Over/Under Goals", matches: [{ league: "ENG.1", event: "Liverpool vs Everton", selection: "over 12.5" }] }, "matches[0].selection: line 12.5 is out of range for total goals (0.5 to 9.5)"],
      [{ product: "Goalscorers", matches: [{ league: "ENG.1", event: "Liverpool vs Everton", player: "Erling Haaland" }] }, 'matches[0].player: "Erling Haaland" does not play for Liverpool or Everton (see GET /te/api/goalscorers?league=ENG.1)'],
      [{ product: "Bet Builder", matches: [{ league: "ENG.1", event: "Liverpool vs Everton", market: "goalscorer", selection: "Salah" }] }, 'matches[0]: a goalscorer leg takes "player", not "selection"'],
      [{ product: "Bet Builder", matches: [{ league: "ENG.1", event: "Liverpool vs Everton", market: "corners" }] }, 'matches[0]: missing required field "selection"'],
      [{ product: "Bet Builder", matches: [{ league: "ENG.1", event: "Liverpool vs Everton", market: "offsides", selection: "over 1.5" }] }, "matches[0].market: must be one of match_winner, match_loser, draw, btts, total_goals, clean_sheet, goalscorer, corners, cards (got \"offsides\")"],
      [{ matches: [seedExample.matches[0], seedExample.matches[0]] }, "matches[1]: duplicates matches[0] (same match and selection)"],
      [{ product: "Match Winners", matches: [{ league: "ENG.1", event: "Liverpool vs Everton", selection: "Liverpool" }, { league: "ENG.1", event: "Liverpool vs Everton", selection: "Everton" }] }, "the legs can never win together under these conditions (probability 0)"],
      [{ ...seedExample, acca_conditions: [{ type: "wins", condition: "at_least", value: 0 }] }, "acca_conditions: the conditions hold whatever happens (every number of wins from 0 to 3 pays)"],
    ])("refuses %j: %s", async (bet, message) => {
      const r = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: bet });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ status: "error", message });
    });

    it("refuses bodies that are not JSON and matches that kicked off", async () => {
      const bad = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, raw: "{nope", contentType: "application/json" });
      expect(bad.body.message).toMatch(/^bet: the body is not valid JSON/);
      const m = findMatchByName(getLeague("ENG.1")!, "Liverpool vs Everton", PRESEASON_MS)!;
      te.clock.t = m.kickoffMs + 1;
      const c = await loginCookie(te.handlers, KEY);
      const r = await call(te.handlers.price, "POST", "/api/bets/price", { cookie: c, json: seedExample });
      expect(r.body.message).toBe(`matches[0].event: Liverpool vs Everton (ENG.1) kicked off at ${new Date(m.kickoffMs).toISOString().replace(":00.000Z", "Z")} and can no longer be priced`);
      te.clock.t = PRESEASON_MS;
    });

    it("a 10-leg acca prices in well under 20 ms (median of 5, cold structs, DB write included)", async () => {
      const teams = getLeague("ITA.1")!.teams.map((x) => x.name);
      const times: number[] = [];
      for (let rep = 0; rep < 5; rep++) {
        const matches = Array.from({ length: 10 }, (_, i) => ({
          league: "ITA.1",
          event: `${teams[i]} vs ${teams[(i + 10 + rep) % 20]}`,
          market: i % 2 ? "btts" : "total_goals",
          selection: i % 2 ? "yes" : "over 1.5",
        }));
        const body = { product: "Bet Builder", matches, acca_conditions: [{ type: "wins", condition: "at_least", value: 6 }] };
        const t0 = performance.now();
        const r = await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: body });
        times.push(performance.now() - t0);
        expect(r.body.status).toBe("ok");
      }
      times.sort((a, b) => a - b);
      expect(times[2]!).toBeLessThan(20);
    });
  });

  describe("placing, showing and settling", () => {
    it("create refuses unknown ids, bad stakes and wrong prices, then places once", async () => {
      const q = (await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: seedExample })).body;
      const create = (form: Record<string, string>, c = cookie) => call(te.handlers.create, "POST", "/api/bets/create", { cookie: c, form });

      expect((await create({ bet_id: "te_unknown", stake: "10", price: q.price })).body).toEqual({ status: "error", message: 'bet_id "te_unknown" not found' });
      expect((await create({ bet_id: q.bet_id, stake: "0", price: q.price })).body.message).toBe("stake must be positive (got 0)");
      expect((await create({ bet_id: q.bet_id, stake: "-5", price: q.price })).body.message).toBe("stake must be positive (got -5)");
      expect((await create({ bet_id: q.bet_id, stake: "ten", price: q.price })).body.message).toBe('stake must be a number (got "ten")');
      expect((await create({ bet_id: q.bet_id, stake: "1.234", price: q.price })).body.message).toBe("stake must have at most 2 decimal places (got 1.234)");
      const wrong = await create({ bet_id: q.bet_id, stake: "10", price: (Number(q.price) + 0.5).toFixed(2) });
      expect(wrong.status).toBe(409);
      expect(wrong.body).toMatchObject({ status: "error", price: q.price });
      // Another operator cannot see or place this bet.
      expect((await create({ bet_id: q.bet_id, stake: "10", price: q.price }, await loginCookie(te.handlers, OTHER_KEY))).status).toBe(404);

      const ok = await create({ bet_id: q.bet_id, stake: "10.50", price: q.price });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: "ok", bet_id: q.bet_id, stake: "10.50", price: q.price });
      const row = await t.db.teBet.findUnique({ where: { betId: q.bet_id } });
      expect(row).toMatchObject({ status: "placed", stakeCents: 1050, settled: false });

      expect((await create({ bet_id: q.bet_id, stake: "10", price: q.price })).body.message).toMatch(/has already been placed/);
      // Pricing the same struct again now gives a fresh bet_id for the next customer.
      const again = (await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: seedExample })).body;
      expect(again.bet_id).not.toBe(q.bet_id);
      expect(again.price).toBe(q.price);

      const shown = await call(te.handlers.show, "GET", `/api/bets/show?bet_id=${q.bet_id}`, { cookie });
      expect(shown.body).toMatchObject({
        stake: "10.50",
        price: q.price,
        description: "At least 2 of: Liverpool to beat Everton; Real Madrid to win at Barcelona; Napoli to win at Juventus",
        settled: "false",
        status: "pending",
      });
    });

    it("refuses an expired quote (10 minutes)", async () => {
      const q = (await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: { ...seedExample, acca_conditions: [{ type: "wins", condition: "equals", value: 3 }] } })).body;
      te.clock.t = PRESEASON_MS + 10 * 60 * 1000 + 1;
      const r = await call(te.handlers.create, "POST", "/api/bets/create", { cookie, json: { bet_id: q.bet_id, stake: 5, price: q.price } });
      expect(r.status).toBe(410);
      expect(r.body.message).toMatch(/^the quote for bet te_[0-9a-f]{24} expired at .*; price the bet again$/);
      te.clock.t = PRESEASON_MS;
    });

    it("a margin change re-prices: create answers with the new price and bet_id", async () => {
      const struct = { ...seedExample, matches: seedExample.matches.slice(0, 2), acca_conditions: [{ type: "wins", condition: "at_least", value: 1 }] };
      const q = (await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: struct })).body;
      const put = await call(te.handlers.putMargin, "PUT", "/api/admin/margin", { cookie, json: { base_margin: 0.1 } });
      expect(put.body).toEqual({ status: "ok", base_margin: 0.1, per_leg_margin: 0.015, min_price: 1.01, max_price: 10000 });
      const r = await call(te.handlers.create, "POST", "/api/bets/create", { cookie, form: { bet_id: q.bet_id, stake: "5", price: q.price } });
      expect(r.status).toBe(409);
      expect(r.body.message).toMatch(/^the price has changed from .* to .*; place the new bet_id at the new price$/);
      expect(Number(r.body.price)).toBeLessThan(Number(q.price));
      expect(r.body.bet_id).not.toBe(q.bet_id);
      const bad = await call(te.handlers.putMargin, "PUT", "/api/admin/margin", { cookie, json: { base_margin: 2 } });
      expect(bad.body).toEqual({ status: "error", message: "base_margin must be between 0 and 1" });
      await call(te.handlers.putMargin, "PUT", "/api/admin/margin", { cookie, json: { base_margin: 0.05 } });
      expect((await call(te.handlers.getMargin, "GET", "/api/admin/margin", { cookie })).body.base_margin).toBe(0.05);
    });

    it("struct restores the slip; liabilities by match; settlement from simulated results", async () => {
      const bb = {
        product: "Bet Builder",
        matches: [
          { league: "ENG.1", event: "Arsenal vs Chelsea", market: "match_winner", selection: "Arsenal" },
          { league: "ENG.1", event: "Arsenal vs Chelsea", market: "btts", selection: "yes" },
          { league: "ITA.1", event: "Inter vs Milan", market: "total_goals", selection: "over 2.5" },
        ],
        acca_conditions: [{ type: "wins", condition: "at_least", value: 2 }],
      };
      const q = (await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: bb })).body;
      const s = await call(te.handlers.struct, "GET", `/api/bets/struct?bet_id=${q.bet_id}`, { cookie });
      expect(s.body.bet).toEqual(bb);
      expect((await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: s.body.bet })).body.bet_id).toBe(q.bet_id);

      await call(te.handlers.create, "POST", "/api/bets/create", { cookie, form: { bet_id: q.bet_id, stake: "20", price: q.price } });
      const lia = await call(te.handlers.liabilities, "GET", "/api/admin/liabilities", { cookie });
      const arsenal = lia.body.matches.find((m: { event: string }) => m.event === "Arsenal vs Chelsea");
      const liability = Math.floor(2000 * Math.round(Number(q.price) * 100) / 100) - 2000;
      expect(arsenal).toMatchObject({ league: "ENG.1", open_bets: 1, stake: "20.00", liability: (liability / 100).toFixed(2) });
      expect(lia.body.totals.open_bets).toBeGreaterThanOrEqual(2);

      // Nothing settles before the last match has finished.
      expect((await settleTeBets(PRESEASON_MS, t.db)).settled).toBe(0);
      const stored = JSON.parse((await t.db.teBet.findUnique({ where: { betId: q.bet_id } }))!.legsJson) as StoredLeg[];
      const last = Math.max(...stored.map((l) => Date.parse(l.kickoff)));
      const after = last + MATCH_DURATION_MS;
      const res = await settleTeBets(after, t.db);
      expect(res.settled).toBeGreaterThanOrEqual(1);
      const row = (await t.db.teBet.findUnique({ where: { betId: q.bet_id } }))!;
      const wins = stored.filter((l) => {
        const m = findMatchByName(getLeague(l.league)!, l.event, PRESEASON_MS)!;
        return legWins(l.spec, simulatedOutcome(m));
      }).length;
      expect(row.status).toBe(wins >= 2 ? "won" : "lost");
      expect(row.settled).toBe(true);
      te.clock.t = after;
      const shown = await call(te.handlers.show, "GET", `/api/bets/show?bet_id=${q.bet_id}`, { cookie: await loginCookie(te.handlers, KEY) });
      expect(shown.body).toMatchObject({ settled: "true", status: row.status, stake: "20.00" });
      expect(shown.body.legs.every((l: { result: { status: string } }) => l.result.status !== "pending")).toBe(true);
      // Settled bets leave the liability view.
      const lia2 = await call(te.handlers.liabilities, "GET", "/api/admin/liabilities", { cookie: await loginCookie(te.handlers, KEY) });
      expect(lia2.body.matches.find((m: { event: string }) => m.event === "Arsenal vs Chelsea")).toBeUndefined();
      te.clock.t = PRESEASON_MS;
    });

    it("old unplaced quotes are pruned; placed bets are kept", async () => {
      await call(te.handlers.price, "POST", "/api/bets/price", { cookie, json: { ...seedExample, acca_conditions: [{ type: "wins", condition: "less_than", value: 2 }] } });
      expect(await t.db.teBet.count({ where: { status: "priced" } })).toBeGreaterThan(0);
      const placed = await t.db.teBet.count({ where: { status: { not: "priced" } } });
      expect(placed).toBeGreaterThan(0);
      const far = PRESEASON_MS + 400 * 24 * 60 * 60 * 1000;
      const r = await settleTeBets(far, t.db);
      expect(r.pruned).toBeGreaterThan(0);
      expect(await t.db.teBet.count({ where: { status: "priced" } })).toBe(0);
      expect(await t.db.teBet.count({ where: { status: { not: "priced" } } })).toBe(placed);
    });
  });
});
