// The trader's dashboard end to end, against the built app + simulator + engine (scripts/e2e-server.mjs):
// RFQs stream in, an override reaches the simulator, a book updates, a settlement arrives, and the
// kill switch cancels every wager and pauses quoting. Every screen is screenshot to e2e/artifacts/.
// No skips: when the engine produces no data, the test fails saying what was missing.
import { expect, test, type Page, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

const SIM = `http://127.0.0.1:${process.env.E2E_SIM_PORT ?? 4110}`;
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });

const login = async (page: Page) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
};

/** Waits for a condition, failing with `why` (not a bare timeout) when the engine never delivers. */
const waitFor = async (why: string, fn: () => Promise<boolean>, timeoutMs: number) => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s: ${why}`);
};

const SIM_ADMIN = { "x-sim-admin-key": process.env.SIM_ADMIN_KEY ?? "sim-admin-key" };

/** Every offer tier the simulator holds for a parlay (its admin API, GET /__sim/parlays/{id}). */
const simOffers = async (request: APIRequestContext, parlayId: string): Promise<{ odds: number; max_risk: number }[]> => {
  const res = await request.get(`${SIM}/__sim/parlays/${encodeURIComponent(parlayId)}`, { headers: SIM_ADMIN });
  if (!res.ok()) throw new Error(`simulator admin API ${SIM}/__sim/parlays answered ${res.status()}`);
  const body = (await res.json()) as { data?: { offers?: { tiers: { odds: number; max_risk: number }[] }[] } };
  return (body.data?.offers ?? []).flatMap((o) => o.tiers);
};

test.describe.configure({ mode: "serial" });

test("the trader's dashboard: RFQs, override, book, settlement, kill switch", async ({ page, request }) => {
  test.setTimeout(240_000);
  await login(page);
  await expect(page.getByRole("status", { name: "Live connection" })).toContainText("Live", { timeout: 15_000 });
  await shot(page, "overview");

  // ── RFQs arrive ──────────────────────────────────────────────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Parlay requests" }).click();
  await expect(page.getByRole("heading", { name: "Parlay requests" })).toBeVisible();
  const rows = page.locator('[role="row"][data-parlay-id]');
  await waitFor("no parlay request reached /rfqs — is the simulator sending RFQs and the engine storing ParlayRequest rows?", async () => (await rows.count()) > 0, 45_000);
  const firstCount = Number((await page.getByTestId("rfq-count").textContent())?.replace(/,/g, ""));
  await waitFor("the RFQ table did not grow live — the engine emits no `rfq` events on /api/live?", async () => Number((await page.getByTestId("rfq-count").textContent())?.replace(/,/g, "")) > firstCount, 30_000);
  await shot(page, "rfqs");

  // ── Override a pending quote and see it reach the simulator ─────────────────────────────────
  await page.getByLabel("Status filter").selectOption("quoted");
  let parlayId = "";
  await waitFor("no quoted RFQ with more than 5 s left — is the engine quoting (ParlayQuote rows, status quoted)?", async () => {
    for (const row of await rows.all()) {
      const left = await row.getByRole("timer").textContent().catch(() => null);
      if (left && /^\d+(\.\d)? s$/.test(left) && parseFloat(left) > 5) {
        parlayId = (await row.getAttribute("data-parlay-id")) ?? "";
        await row.click();
        return true;
      }
    }
    return false;
  }, 45_000);
  const panel = page.getByRole("complementary", { name: "RFQ detail" });
  await expect(panel.getByRole("region", { name: "Manual override" })).toBeVisible();
  const overrideOdds = 777 + Math.floor(Math.random() * 100);
  await panel.getByLabel("Tier 1 odds").fill(`+${overrideOdds}`);
  await panel.getByLabel("Tier 1 max risk in dollars").fill("12.34");
  await panel.getByRole("button", { name: "Send override" }).click();
  await expect(panel.getByRole("status")).toContainText(/Command (pending|done)/);
  await expect(panel.getByRole("status"), "the engine did not process the override_quote command").toContainText("Command done", { timeout: 20_000 });
  await waitFor(`the simulator never received the overridden offer (+${overrideOdds}) for ${parlayId}`, async () => (await simOffers(request, parlayId)).some((o) => o.odds === overrideOdds), 20_000);
  await expect(rows.filter({ hasText: `+${overrideOdds}` }).first()).toBeVisible({ timeout: 10_000 });
  await shot(page, "rfq-override");

  // ── Order book updates ───────────────────────────────────────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Order book" }).click();
  const tournament = page.getByLabel("Tournament");
  await waitFor("no tournaments in the book picker — did the engine load reference data (Tournament/SportEvent/Market)?", async () => (await tournament.locator("option").count()) > 1, 30_000);
  await tournament.selectOption({ index: 1 });
  await page.getByLabel("Event").selectOption({ index: 1 });
  await page.getByLabel("Market", { exact: true }).selectOption({ index: 1 });
  const ladder = page.getByRole("group", { name: /^Ladder / }).first();
  await expect(ladder).toBeVisible();
  const stamp = async () => (await page.getByRole("group", { name: /^Ladder / }).allTextContents()).join("|");
  const before = await stamp();
  await waitFor("the book never updated — does the engine write BookSnapshot rows and emit `book` events?", async () => (await stamp()) !== before && !(await stamp()).includes("no book"), 45_000);
  // Place a wager from the ladder (far off the market so it rests), for the kill switch to cancel.
  await ladder.getByRole("row", { name: /^Bet / }).first().click();
  const ticket = page.getByRole("form", { name: "Place wager" });
  await ticket.getByLabel("Odds").fill("+10000");
  await ticket.getByLabel("Stake in dollars").fill("1.00");
  await ticket.getByRole("button", { name: "Place wager" }).click();
  await expect(ticket.getByRole("status")).toContainText("Sent to the engine");
  await expect(page.getByRole("table", { name: "Our wagers" }).getByRole("button", { name: /^Cancel wager / }).first(), "the placed wager never showed as open").toBeVisible({ timeout: 20_000 });
  await shot(page, "book");

  // ── Exposure ─────────────────────────────────────────────────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Exposure" }).click();
  await expect(page.getByText("Worst-case loss", { exact: true })).toBeVisible();
  await shot(page, "exposure");

  // ── A settlement arrives ─────────────────────────────────────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Settlements" }).click();
  // Games end on the simulator's schedule (hours away): force-settle the games of one filled parlay.
  let legEvents: number[] = [];
  await waitFor("no parlay was filled (finalized) — does the simulated bettor confirm and the engine accept?", async () => {
    const res = await page.request.get("/api/desk/rfqs?limit=500");
    const body = (await res.json()) as { rows: { displayStatus: string; legs: { sportEventId: number }[] }[] };
    const filled = body.rows.find((r) => r.displayStatus === "confirmed");
    legEvents = filled ? [...new Set(filled.legs.map((l) => l.sportEventId))] : [];
    return legEvents.length > 0;
  }, 60_000);
  for (const eventId of legEvents) {
    const res = await request.post(`${SIM}/__sim/control/settle-event`, { headers: SIM_ADMIN, data: { event_id: eventId } });
    expect(res.ok(), `settle-event ${eventId}`).toBe(true);
  }
  const feed = page.locator('tr[data-order-status="settled"]');
  await waitFor("no settled order reached /settlements — does the simulator settle parlays and the engine emit `settlement` events?", async () => (await feed.count()) > 0, 90_000);
  await shot(page, "settlements");

  // ── Kill switch: every wager cancelled, quoting paused ───────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Health & controls" }).click();
  await expect(page.getByTestId("quoting-state")).toBeVisible();
  await page.locator("body").press("Shift+K");
  const dialog = page.getByRole("dialog", { name: "Trigger the kill switch?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Confirm kill switch" }).click();
  await expect(dialog.getByRole("status")).toContainText("Kill switch sent");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByTestId("quoting-state"), "the engine did not report killSwitch/quotingPaused in EngineLease.statusJson").toHaveText(/KILLED|paused/, { timeout: 20_000 });
  await expect(page.getByTestId("open-wagers"), "open wagers remain after the kill switch").toHaveText("0", { timeout: 20_000 });
  // …and on the exchange's side too (the simulator's own wager records for our account).
  const simLogin = await request.post(`${SIM}/partner/auth/login`, { data: { access_key: "sim-access-key", secret_key: "sim-secret-key" } });
  const token = ((await simLogin.json()) as { data: { access_token: string } }).data.access_token;
  const nowS = Math.floor(Date.now() / 1000);
  const hist = await request.get(`${SIM}/partner/v2/mm/get_wager_histories?from=${nowS - 3600}&to=${nowS + 60}&limit=1000`, { headers: { Authorization: `Bearer ${token}` } });
  const wagers = ((await hist.json()) as { data: { wagers: { status: string; unmatched_stake: number }[] | null } }).data.wagers ?? [];
  expect(wagers.length, "the wager placed from the ladder reached the exchange").toBeGreaterThan(0);
  expect(wagers.filter((w) => w.status === "inactive" || (w.status === "open" && w.unmatched_stake > 0)), "open wagers on the exchange after the kill switch").toHaveLength(0);
  await expect(page.locator('tr[data-command-type="kill_switch"]').first()).toHaveAttribute("data-command-status", "done", { timeout: 20_000 });
  await shot(page, "controls");

  // ── Audit log records the trader actions ─────────────────────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("table", { name: "Audit log" })).toContainText("command.kill_switch");
  await expect(page.getByRole("table", { name: "Audit log" })).toContainText("command.override_quote");
  await shot(page, "audit");
});

test("desk APIs refuse anonymous callers", async ({ request }) => {
  for (const path of ["/api/desk/rfqs", "/api/desk/exposure", "/api/desk/controls", "/api/desk/audit"]) {
    expect((await request.get(path)).status(), path).toBe(401);
  }
  expect((await request.post("/api/desk/commands", { data: { type: "kill_switch" } })).status()).toBe(401);
});
