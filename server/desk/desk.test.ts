// The desk's read side and its API routes against real SQLite and Postgres databases: RFQ rows with
// their current offer and fair odds, leg detail with the book, exposure and what-if, settlements,
// engine status, and trader commands (401 anonymous, 403 viewer, EngineCommand + AuditLog, idempotent).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { createTestDb, testProviders, type TestDb } from "../test/db.ts";
import type { Db } from "../db/client.ts";
import { listRfqs, getRfq } from "./rfqs.ts";
import { exposureView, whatIfFor } from "./exposure.ts";
import { settlementsView } from "./settlements.ts";
import { marketBook, bookTree } from "./book.ts";
import { auditPage, controlsView, engineStatusOf, overviewView } from "./controls.ts";
import { parseDepth } from "./util.ts";
import { GET as rfqsGET } from "../../app/api/desk/rfqs/route.ts";
import { GET as rfqGET } from "../../app/api/desk/rfqs/[parlayId]/route.ts";
import { POST as commandsPOST } from "../../app/api/desk/commands/route.ts";
import { GET as commandGET } from "../../app/api/desk/commands/[id]/route.ts";
import { GET as exposureGET } from "../../app/api/desk/exposure/route.ts";
import { GET as controlsGET } from "../../app/api/desk/controls/route.ts";

const SECRET = "desk-test-secret-desk-test-secret";
const NOW = Date.now();
const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

const cookieFor = async (role: "trader" | "viewer") =>
  `next-auth.session-token=${await encode({ token: { sub: `usr_${role}`, email: `${role}@desk.local`, name: role, role }, secret: SECRET })}`;

const seed = async (db: Db) => {
  await db.tournament.create({ data: { id: 1, name: "NBA", sportId: 4, sportName: "Basketball" } });
  await db.sportEvent.create({ data: { id: 100, tournamentId: 1, name: "A v B", displayName: "Alphas at Betas", scheduledAt: new Date(NOW + 3_600_000), status: "not_started" } });
  await db.sportEvent.create({ data: { id: 101, tournamentId: 1, name: "C v D", displayName: "Cees at Dees", scheduledAt: new Date(NOW + 7_200_000), status: "not_started" } });
  await db.market.create({ data: { id: "100:1", eventId: 100, marketId: 1, name: "Moneyline", type: "moneyline", status: "active" } });
  await db.market.create({ data: { id: "101:1", eventId: 101, marketId: 1, name: "Moneyline", type: "moneyline", status: "active" } });
  await db.marketLine.createMany({
    data: [
      { lineId: "L-A", marketKey: "100:1", eventId: 100, marketId: 1, outcomeId: 1, name: "Alphas", status: "active" },
      { lineId: "L-B", marketKey: "100:1", eventId: 100, marketId: 1, outcomeId: 2, name: "Betas", status: "active" },
      { lineId: "L-C", marketKey: "101:1", eventId: 101, marketId: 1, outcomeId: 1, name: "Cees", status: "active" },
    ],
  });
  await db.bookSnapshot.create({ data: { lineId: "L-A", bestOdds: 120, bestStakeCents: 50_00, depthJson: JSON.stringify([{ odds: 120, stakeCents: 5000 }, { odds: 115, stake: 80.5 }]) } });
  await db.matchedTrade.create({ data: { lineId: "L-A", eventId: 100, marketId: 1, odds: 118, stakeCents: 2_500, matchedAt: new Date(NOW - 1000) } });
  await db.wager.create({ data: { externalId: "wgr_open1", lineId: "L-A", eventId: 100, marketId: 1, odds: 125, stakeCents: 10_00, status: "open" } });
  // A quoted RFQ (valid 30 s) with a superseded older quote.
  await db.parlayRequest.create({
    data: {
      parlayId: "p-quoted", stakeCents: 20_00, callbackUrl: "http://x/cb", createdAtNs: ns(NOW), receivedAt: new Date(NOW - 2000), creatorId: "bettor-1", status: "quoted", fairProbability: 0.25,
      legs: { create: [{ idx: 0, lineId: "L-A", marketId: 1, outcomeId: 1, sportEventId: 100, fairProbability: 0.5, bookOdds: 120 }, { idx: 1, lineId: "L-C", marketId: 1, outcomeId: 1, sportEventId: 101, fairProbability: 0.5 }] },
      quotes: {
        create: [
          { id: "quo_old", tier: 1, odds: 280, maxRiskCents: 100_00, validUntilNs: ns(NOW + 30_000), fairProbability: 0.25, marginBps: 500, modelInputsJson: "{}", source: "auto", status: "superseded", sentAt: new Date(NOW - 1900) },
          { id: "quo_1", tier: 1, odds: 270, maxRiskCents: 100_00, validUntilNs: ns(NOW + 30_000), fairProbability: 0.25, marginBps: 600, modelInputsJson: '{"legs":2}', source: "auto", status: "sent", sentAt: new Date(NOW - 1500) },
          { id: "quo_2", tier: 2, odds: 250, maxRiskCents: 300_00, validUntilNs: ns(NOW + 30_000), fairProbability: 0.25, marginBps: 900, modelInputsJson: '{"legs":2}', source: "auto", status: "sent", sentAt: new Date(NOW - 1500) },
        ],
      },
    },
  });
  // An expired quote, a settled order and a finalized (open) order.
  await db.parlayRequest.create({
    data: {
      parlayId: "p-expired", stakeCents: 5_00, callbackUrl: "http://x/cb", createdAtNs: ns(NOW - 60_000), receivedAt: new Date(NOW - 60_000), status: "quoted",
      legs: { create: [{ idx: 0, lineId: "L-B", marketId: 1, outcomeId: 2, sportEventId: 100 }, { idx: 1, lineId: "L-C", marketId: 1, outcomeId: 1, sportEventId: 101 }] },
      quotes: { create: [{ id: "quo_x", tier: 1, odds: 300, maxRiskCents: 50_00, validUntilNs: ns(NOW - 1000), fairProbability: 0.2, marginBps: 500, modelInputsJson: "{}", source: "auto", status: "sent", sentAt: new Date(NOW - 59_000) }] },
    },
  });
  for (const [id, status, profit, risk] of [["p-settled", "settled", -150_00, 150_00], ["p-open", "finalized", null, 400_00]] as const) {
    await db.parlayRequest.create({
      data: {
        parlayId: id, stakeCents: 50_00, callbackUrl: "http://x/cb", createdAtNs: ns(NOW - 100_000), receivedAt: new Date(NOW - 100_000), creatorId: "bettor-1", status: status === "settled" ? "settled" : "finalized",
        legs: { create: [{ idx: 0, lineId: "L-A", marketId: 1, outcomeId: 1, sportEventId: 100 }, { idx: 1, lineId: "L-C", marketId: 1, outcomeId: 1, sportEventId: 101 }] },
        orders: { create: [{ orderUuid: `o-${id}`, status, odds: 300, confirmedStakeCents: 50_00, riskCents: risk, creatorId: "bettor-1", settlementStatus: status === "settled" ? "lost" : null, profitCents: profit, settledAt: status === "settled" ? new Date(NOW - 5000) : null }] },
      },
    });
  }
  await db.setting.create({ data: { key: "risk.limits", valueJson: JSON.stringify({ maxEventExposureCents: 600_00, maxLineExposureCents: 1000_00, maxWorstCaseLossCents: 5000_00 }), updatedBy: "seed" } });
  await db.engineLease.create({
    data: {
      name: "engine", holderId: "eng_1", acquiredAt: new Date(NOW - 60_000), heartbeatAt: new Date(NOW - 1000), expiresAt: new Date(NOW + 10_000),
      statusJson: JSON.stringify({ connection: { mm: "connected", sp: "connected" }, heartbeatAgeMs: 800, tokenExpiresAt: NOW + 600_000, rateLimitUsage: { rest: 0.3, bogus: "x" }, quotingPaused: false, killSwitch: false, queueDepth: 2, extra: { ignored: true } }),
    },
  });
};

describe("parseDepth and engineStatusOf are tolerant", () => {
  it("normalises the depth shapes the engine may write", () => {
    expect(parseDepth('[{"odds":120,"stakeCents":500},{"odds":110,"stake":2.5},[105,300],{"x":1}]')).toEqual([
      { odds: 120, stakeCents: 500 },
      { odds: 110, stakeCents: 250 },
      { odds: 105, stakeCents: 300 },
    ]);
    expect(parseDepth("not json")).toEqual([]);
  });
  it("reads statusJson with unknown fields and wrong types", () => {
    const s = engineStatusOf({ connection: { mm: "up" }, heartbeatAgeMs: "slow", killSwitch: true, tokenExpiresAt: 1_700_000_000 });
    expect(s.connection).toEqual({ mm: "up" });
    expect(s.heartbeatAgeMs).toBeNull();
    expect(s.killSwitch).toBe(true);
    expect(s.tokenExpiresAt).toBe(new Date(1_700_000_000_000).toISOString());
  });
  it("reads the current engine's shape: per-product heartbeat, usage ratio, pause reasons", () => {
    const s = engineStatusOf({ connection: { mm: "connected", sp: "connected" }, heartbeatAgeMs: { mm: 1200, sp: null }, rateLimitUsage: 0.24, pauseReasons: ["mm_disconnected", 3], quotingPaused: true });
    expect(s.heartbeatAgesMs).toEqual({ mm: 1200, sp: null });
    expect(s.heartbeatAgeMs).toBe(1200);
    expect(s.rateLimitRequestsPerSec).toBe(12);
    expect(s.rateLimitPerSec).toBe(50);
    expect(s.rateLimitUsage).toBeNull();
    expect(s.pauseReasons).toEqual(["mm_disconnected"]);
  });
});

for (const provider of testProviders()) {
  describe(`desk read side and routes (${provider})`, () => {
    let t: TestDb;
    let prevUrl: string | undefined;
    beforeAll(async () => {
      t = await createTestDb(provider);
      await seed(t.db);
      prevUrl = process.env.DATABASE_URL;
      process.env.DATABASE_URL = t.url;
      process.env.NEXTAUTH_SECRET = SECRET;
    });
    afterAll(async () => {
      process.env.DATABASE_URL = prevUrl;
      const g = globalThis as unknown as { __deskDb?: { url: string; db: Db } };
      if (g.__deskDb?.url === t.url) {
        await g.__deskDb.db.$disconnect();
        delete g.__deskDb;
      }
      await t.drop();
    });

    it("lists RFQs newest first with the current offer, fair odds and display status", async () => {
      const list = await listRfqs(t.db, {}, NOW);
      expect(list.total).toBe(4);
      expect(list.rows[0]!.parlayId).toBe("p-quoted");
      const q = list.rows[0]!;
      expect(q.tiers.map((x) => [x.tier, x.odds, x.maxRiskCents])).toEqual([[1, 270], [2, 250]].map(([a, b], i) => [a, b, i ? 300_00 : 100_00]));
      expect(q.fairOdds).toBe(300);
      expect(q.marginBps).toBe(600);
      expect(q.validUntilMs).toBe(NOW + 30_000);
      expect(q.displayStatus).toBe("quoted");
      expect(list.rows.find((r) => r.parlayId === "p-settled")!.displayStatus).toBe("settled");
      expect(list.rows.find((r) => r.parlayId === "p-open")!.displayStatus).toBe("confirmed");
      const byId = await listRfqs(t.db, { ids: ["p-open"] }, NOW);
      expect(byId.rows.map((r) => r.parlayId)).toEqual(["p-open"]);
    });

    it("details an RFQ with leg names, the book and the model inputs", async () => {
      const d = (await getRfq(t.db, "p-quoted", NOW))!;
      expect(d.legDetails[0]).toMatchObject({ eventName: "Alphas at Betas", sportName: "Basketball", marketName: "Moneyline", lineName: "Alphas" });
      expect(d.legDetails[0]!.book!.levels).toEqual([{ odds: 120, stakeCents: 5000 }, { odds: 115, stakeCents: 8050 }]);
      expect(d.legDetails[1]!.book).toBeNull();
      expect(d.modelInputs).toEqual({ legs: 2 });
      expect(d.allQuotes).toHaveLength(3);
      expect(await getRfq(t.db, "nope", NOW)).toBeNull();
    });

    it("computes exposure from accepted orders and live offers, and the what-if of a pending quote", async () => {
      const x = await exposureView(t.db, NOW);
      // p-open accepted 400 + p-quoted in flight 100 + 300 (expired p-expired excluded).
      expect(x.acceptedCents).toBe(400_00);
      expect(x.inFlightCents).toBe(400_00);
      expect(x.worstCaseCents).toBe(800_00);
      expect(x.byEvent.find((e) => e.key === "100")).toMatchObject({ label: "Alphas at Betas", cents: 800_00, limitCents: 600_00 });
      expect(x.byCreator).toEqual([{ key: "bettor-1", label: "bettor-1", cents: 800_00, limitCents: null }]);
      expect(x.pnl).toEqual([expect.objectContaining({ pnlCents: -150_00, cumulativeCents: -150_00 })]);
      const w = (await whatIfFor(t.db, "p-quoted", NOW))!;
      expect(w.liabilityCents).toBe(400_00);
      const ev = w.rows.find((r) => r.dimension === "event" && r.key === "100")!;
      expect([ev.beforeCents, ev.afterCents]).toEqual([400_00, 800_00]);
    });

    it("reports settlements with P&L by day and sport", async () => {
      const s = await settlementsView(t.db);
      expect(s.rows.map((r) => r.orderUuid).sort()).toEqual(["o-p-open", "o-p-settled"]);
      expect(s.totalPnlCents).toBe(-150_00);
      expect(s.bySport).toEqual([{ sport: "Basketball", pnlCents: -150_00, count: 1 }]);
    });

    it("builds the book tree and a market's ladder, trades and wagers", async () => {
      const tree = await bookTree(t.db);
      expect(tree.tournaments[0]!.events.map((e) => e.markets[0]!.key)).toEqual(["100:1", "101:1"]);
      const b = (await marketBook(t.db, "100:1"))!;
      expect(b.lines.map((l) => l.lineId)).toEqual(["L-A", "L-B"]);
      expect(b.lines[0]!.bestOdds).toBe(120);
      expect(b.trades).toHaveLength(1);
      expect(b.wagers.map((w) => w.externalId)).toEqual(["wgr_open1"]);
    });

    it("reads controls, the overview and the audit page", async () => {
      const c = await controlsView(t.db, provider, NOW);
      expect(c.engine).toMatchObject({ connection: { mm: "connected", sp: "connected" }, heartbeatAgeMs: 800, queueDepth: 2, quotingPaused: false, rateLimitUsage: { rest: 0.3 } });
      expect(c.lease).toMatchObject({ holderId: "eng_1", expired: false, heartbeatAgeMs: 1000 });
      expect(c.sports).toEqual([expect.objectContaining({ sportId: 4, key: "sport.4", value: null })]);
      expect(c.openWagers).toBe(1);
      const o = await overviewView(t.db, NOW);
      expect(o).toMatchObject({ rfqsTotal: 4, openOrders: 1, openWagers: 1, worstCaseCents: 800_00, pnlTotalCents: -150_00 });
    });

    const post = (body: unknown, cookie?: string) =>
      new Request("http://desk.test/api/desk/commands", { method: "POST", headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });

    it("refuses anonymous reads and actions with 401", async () => {
      expect((await rfqsGET(new Request("http://desk.test/api/desk/rfqs"))).status).toBe(401);
      expect((await exposureGET(new Request("http://desk.test/api/desk/exposure"))).status).toBe(401);
      expect((await commandsPOST(post({ type: "kill_switch" }))).status).toBe(401);
    });

    it("serves reads to a viewer but refuses a viewer's action with 403", async () => {
      const viewer = await cookieFor("viewer");
      const list = await rfqsGET(new Request("http://desk.test/api/desk/rfqs?limit=2", { headers: { cookie: viewer } }));
      expect(list.status).toBe(200);
      expect((await list.json()).rows).toHaveLength(2);
      const one = await rfqGET(new Request("http://desk.test/api/desk/rfqs/p-quoted", { headers: { cookie: viewer } }), { params: Promise.resolve({ parlayId: "p-quoted" }) });
      expect((await one.json()).parlayId).toBe("p-quoted");
      const missing = await rfqGET(new Request("http://desk.test/api/desk/rfqs/x", { headers: { cookie: viewer } }), { params: Promise.resolve({ parlayId: "x" }) });
      expect(missing.status).toBe(404);
      expect((await controlsGET(new Request("http://desk.test/api/desk/controls", { headers: { cookie: viewer } }))).status).toBe(200);
      const before = await t.db.engineCommand.count();
      expect((await commandsPOST(post({ type: "kill_switch" }, viewer))).status).toBe(403);
      expect(await t.db.engineCommand.count()).toBe(before);
    });

    it("a trader's command inserts one EngineCommand and one AuditLog row, idempotently by id", async () => {
      const trader = await cookieFor("trader");
      const id = "cmd_01jz0000000000000000000001";
      const body = { id, type: "override_quote", payload: { parlayId: "p-quoted", tiers: [{ odds: 240, maxRiskCents: 150_00 }] } };
      const res = await commandsPOST(post(body, trader));
      expect(res.status).toBe(201);
      const { command } = await res.json();
      expect(command).toMatchObject({ id, type: "override_quote", status: "pending", createdBy: "usr_trader", payload: body.payload });
      const row = await t.db.engineCommand.findUniqueOrThrow({ where: { id } });
      expect(JSON.parse(row.payloadJson)).toEqual(body.payload);
      const audit = await t.db.auditLog.findMany({ where: { action: "command.override_quote" } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorType: "trader", actorId: "usr_trader", subjectType: "parlay", subjectId: "p-quoted" });
      // A retry with the same id answers 200 with the stored command and writes nothing new.
      const again = await commandsPOST(post(body, trader));
      expect(again.status).toBe(200);
      expect(await t.db.engineCommand.count({ where: { id } })).toBe(1);
      expect(await t.db.auditLog.count({ where: { action: "command.override_quote" } })).toBe(1);
      const status = await commandGET(new Request(`http://desk.test/api/desk/commands/${id}`, { headers: { cookie: trader } }), { params: Promise.resolve({ id }) });
      expect((await status.json()).command.status).toBe("pending");
      const page = await auditPage(t.db, { actorType: "trader" });
      expect(page.total).toBeGreaterThanOrEqual(1);
    });

    it("generates an id when none is given, and validates every command", async () => {
      const trader = await cookieFor("trader");
      const kill = await commandsPOST(post({ type: "kill_switch", payload: {} }, trader));
      expect(kill.status).toBe(201);
      expect((await kill.json()).command.id).toMatch(/^cmd_[0-9a-z]{26}$/);
      const bad = await commandsPOST(post({ type: "place_wager", payload: { lineId: "L-A", odds: 50, stakeCents: 100 } }, trader));
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.details[0].path).toBe("$.payload.odds");
      expect((await commandsPOST(post({ type: "self_destruct", payload: {} }, trader))).status).toBe(400);
      expect((await commandsPOST(post({ type: "place_wager", payload: { lineId: "nope", odds: 150, stakeCents: 100 } }, trader))).status).toBe(404);
      expect((await commandsPOST(post({ type: "place_wager", payload: { lineId: "L-A", odds: 150, stakeCents: 10_00 } }, trader))).status).toBe(201);
      expect((await commandsPOST(post({ type: "update_settings", payload: { key: "sport.4", value: { marginBps: 500 } } }, trader))).status).toBe(201);
    });

    it("refuses to override an expired quote or act on a finished RFQ (409)", async () => {
      const trader = await cookieFor("trader");
      const expired = await commandsPOST(post({ type: "override_quote", payload: { parlayId: "p-expired", tiers: [{ odds: 300, maxRiskCents: 100 }] } }, trader));
      expect(expired.status).toBe(409);
      expect((await expired.json()).error.message).toMatch(/expired/);
      expect((await commandsPOST(post({ type: "decline_rfq", payload: { parlayId: "p-settled" } }, trader))).status).toBe(409);
      expect((await commandsPOST(post({ type: "manual_quote", payload: { parlayId: "p-expired", tiers: [{ odds: 320, maxRiskCents: 100_00 }] } }, trader))).status).toBe(201);
    });
  });
}
