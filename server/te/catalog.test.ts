import { describe, expect, it } from "vitest";
import {
  LEAGUES,
  currentSeasonYear,
  findMatchByName,
  getLeague,
  getMatchById,
  matchModelFor,
  seasonFixtures,
  simulatedOutcome,
  upcomingMatches,
} from "./catalog.ts";

describe("TE catalogue", () => {
  it("ships ENG.1, SPA.1 and ITA.1 with 20 real clubs each and scorer shares below 1 per club", () => {
    expect(LEAGUES.map((l) => l.name)).toEqual(expect.arrayContaining(["ENG.1", "SPA.1", "ITA.1"]));
    for (const l of LEAGUES) {
      expect(l.teams).toHaveLength(20);
      for (const t of l.teams) expect(t.players.reduce((s, p) => s + p.share, 0)).toBeLessThan(1);
    }
    expect(getLeague("eng.1")!.teams.map((t) => t.name)).toContain("Liverpool");
  });

  it.each(["ENG.1", "SPA.1", "ITA.1"])("%s: a double round robin, every ordered pair once, one match per club per round", (name) => {
    const league = getLeague(name)!;
    const season = seasonFixtures(league, 2026);
    expect(season).toHaveLength(380);
    expect(new Set(season.map((m) => m.name)).size).toBe(380);
    expect(new Set(season.map((m) => m.id)).size).toBe(380);
    for (let r = 1; r <= 38; r++) {
      const round = season.filter((m) => m.round === r);
      expect(round).toHaveLength(10);
      expect(new Set(round.flatMap((m) => [m.home, m.away])).size).toBe(20);
    }
    // Deterministic: the same call gives the same fixtures.
    expect(seasonFixtures(league, 2026)[0]).toEqual(season[0]);
  });

  it("finds matches by name (case, accents and aliases ignored) and by id", () => {
    const eng = getLeague("ENG.1")!;
    const now = Date.parse("2026-08-01T00:00:00Z");
    const m = findMatchByName(eng, "liverpool VS everton", now)!;
    expect(m.name).toBe("Liverpool vs Everton");
    expect(findMatchByName(eng, "Manchester United v Tottenham Hotspur", now)!.name).toBe("Man Utd vs Tottenham");
    expect(findMatchByName(getLeague("SPA.1")!, "Atletico Madrid vs Barcelona", now)!.name).toBe("Atlético Madrid vs Barcelona");
    expect(getMatchById(m.id)).toEqual(m);
    expect(findMatchByName(eng, "Liverpool vs Liverpool", now)).toBeUndefined();
  });

  it("the current season rolls over after the last match", () => {
    const eng = getLeague("ENG.1")!;
    expect(currentSeasonYear(eng, Date.parse("2026-11-21T00:00:00Z"))).toBe(2026);
    expect(currentSeasonYear(eng, Date.parse("2027-03-01T00:00:00Z"))).toBe(2026);
    expect(currentSeasonYear(eng, Date.parse("2027-07-01T00:00:00Z"))).toBe(2027);
    expect(upcomingMatches(eng, Date.parse("2027-07-01T00:00:00Z"))).toHaveLength(380);
  });

  it("stronger home sides are favourites and simulated results are deterministic", () => {
    const city = matchModelFor({ league: "ENG.1", home: "Man City", away: "Burnley" });
    expect(city.params.lambdaHome).toBeGreaterThan(2 * city.params.lambdaAway);
    const m = findMatchByName(getLeague("ENG.1")!, "Arsenal vs Chelsea", Date.parse("2026-08-01T00:00:00Z"))!;
    expect(simulatedOutcome(m)).toEqual(simulatedOutcome(m));
    expect(simulatedOutcome(m, "other-seed")).not.toBe(simulatedOutcome(m));
  });
});
