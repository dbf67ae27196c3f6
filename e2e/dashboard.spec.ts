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

/** Offers the simulator received for a parlay (its truth API). Tolerates a few response shapes. */
const simOffers = async (request: APIRequestContext, parlayId: string): Promise<{ odds: number; max_risk?: number }[]> => {
  const res = await request.get(`${SIM}/__sim/parlay/offers?parlay_id=${encodeURIComponent(parlayId)}`);
  if (!res.ok()) throw new Error(`simulator truth API ${SIM}/__sim/parlay/offers answered ${res.status()}`);
  const body = (await res.json()) as unknown;
  const list = Array.isArray(body) ? body : ((body as { data?: unknown; offers?: unknown }).data ?? (body as { offers?: unknown }).offers ?? []);
  const out: { odds: number }[] = [];
  for (const o of list as { offers?: { odds: number }[]; odds?: number }[]) {
    if (Array.isArray(o.offers)) out.push(...o.offers);
    else if (typeof o.odds === "number") out.push({ odds: o.odds });
  }
  return out;
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
  await shot(page, "book");

  // ── Exposure ─────────────────────────────────────────────────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Exposure" }).click();
  await expect(page.getByText("Worst-case loss", { exact: true })).toBeVisible();
  await shot(page, "exposure");

  // ── A settlement arrives ─────────────────────────────────────────────────────────────────────
  await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Settlements" }).click();
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
