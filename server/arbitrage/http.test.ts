import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/arbitrage/route";
import { generateInstance } from "@/lib/arbitrage/generate";
import { AppError } from "@/server/http/errors";
import { solveArbitrageRequest } from "./http";
import { getSolverPool, SolverPool } from "./pool";

afterAll(async () => {
  await getSolverPool().close();
});

let ipCounter = 0;
const post = (body: unknown, ip = `10.0.0.${++ipCounter}`): Promise<Response> =>
  POST(
    new Request("http://localhost/api/arbitrage", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );

const greece = {
  wager_limit: 95.69,
  bets: [
    { bet_type: 1, value: "home", odds: 2.3 },
    { bet_type: "MatchWinner", value: "draw", odds: 3.5 },
    { bet_type: 1, value: "away", odds: 4.23 },
  ],
};

describe("POST /api/arbitrage", () => {
  it("returns the seed's output plus the solution block", async () => {
    const res = await post(greece);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { solution: Record<string, unknown>; bets: { wager: number }[] };
    expect(body.profit).toEqual([4.305, 4.314]);
    expect(body.wager_limit).toBe(95.69);
    expect(body.bets.map((b) => b.wager)).toEqual([43.48, 28.57, 23.64]);
    expect(body.bets[1]).toMatchObject({ bet_type: "MatchWinner", value: "draw", odds: 3.5 });
    expect(body.solution).toMatchObject({ optimal: true, gap: 0, status: "optimal", objective: "max_min_profit" });
    expect(typeof body.solution.solve_time_ms).toBe("number");
    expect(body.solution.outcomes).toEqual([
      { label: "0:0", examples: ["0:0", "1:1", "2:2", "3:3", "4:4", "5:5"], profit: 4.305 },
      { label: "1:0", examples: expect.arrayContaining(["1:0", "2:1"]) as unknown, profit: 4.314 },
      { label: "0:1", examples: expect.arrayContaining(["0:1", "1:2"]) as unknown, profit: 4.3072 },
    ]);
  }, 30_000);

  it("answers 400 listing every problem by JSON path", async () => {
    const res = await post({ mode: 7, bets: [{ bet_type: 99, value: "x", odds: 0.9 }, { bet_type: 2, value: "home -0.3", odds: 1.9, bookmaker: 4 }], colour: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(["$.mode", "$.colour", "$.bets[0].bet_type", "$.bets[0].odds", "$.bets[1].value", "$.bets[1].bookmaker"]),
    );
    expect(body.error.message).toMatch(/6 problems/);
  });

  it("answers 400 for a body that is not JSON, and for an empty body", async () => {
    const bad = await post("{nope");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    const empty = await post("");
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe("$.bets");
  });

  it("rate-limits each IP: a burst of 20, then 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await post({ bets: [] }, "192.0.2.77");
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(21)).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // another IP is unaffected
    expect((await post({ bets: [] }, "192.0.2.78")).status).toBe(400);
  });

  it("answers 503 when the solver queue is full", async () => {
    const pool = new SolverPool({ size: 1, maxQueue: 0, eagerCompile: false });
    try {
      const hard = { ...generateInstance({ bets: 200, seed: 2, precision: true, counts: true, wagerLimit: 1000, wagerPrecision: 1 }), max_process_time: 1.5 };
      const first = solveArbitrageRequest(hard, pool);
      await new Promise((r) => setTimeout(r, 100));
      const err = await solveArbitrageRequest(greece, pool).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(503);
      expect((err as AppError).headers?.["Retry-After"]).toBeDefined();
      await first;
    } finally {
      await pool.close();
    }
  }, 30_000);
});
