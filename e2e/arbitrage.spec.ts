// The arbitrage calculator end to end (public, no login): load the Greece v Ireland example, solve
// it, see the profit range, the wagers and the per-outcome chart; then a bad value and bad odds are
// listed by JSON path and their fields are marked invalid. Screenshot: e2e/artifacts/arbitrage.png.
import { expect, test } from "@playwright/test";

test("a guest solves the Greece v Ireland 3-way book", async ({ page }) => {
  await page.goto("/arbitrage");
  await expect(page.getByRole("heading", { name: "Arbitrage calculator" })).toBeVisible();

  await page.getByLabel("Example", { exact: true }).selectOption("greece");
  await page.getByRole("button", { name: "Load example" }).click();
  await expect(page.getByLabel("Wager limit", { exact: true })).toHaveValue("95.69");
  await expect(page.getByLabel("Bet 1 odds", { exact: true })).toHaveValue("2.3");
  await expect(page.getByLabel("Bet 2 odds", { exact: true })).toHaveValue("3.5");
  await expect(page.getByLabel("Bet 3 odds", { exact: true })).toHaveValue("4.23");

  await page.getByRole("button", { name: "Solve" }).click();
  const range = page.getByTestId("profit-range");
  // The first request after start-up also compiles the solver (a few seconds).
  await expect(range).toContainText("4.305", { timeout: 45_000 });
  await expect(range).toContainText("4.314");
  await expect(page.getByTestId("wager")).toHaveText(["43.48", "28.57", "23.64"]);
  await expect(page.getByText("proven optimal")).toBeVisible();
  await expect(page.getByRole("img", { name: /^Profit per outcome: 0:0 4\.305, 1:0 4\.314, 0:1 4\.3072/ })).toBeVisible();
  await expect(page.locator(".recharts-bar-rectangle")).toHaveCount(3);

  await page.screenshot({ path: "e2e/artifacts/arbitrage.png", fullPage: true });
});

test("bad input is listed by JSON path and the fields are marked", async ({ page, request }) => {
  await page.goto("/arbitrage");
  await page.getByLabel("Bet 1 value", { exact: true }).fill("hom");
  await page.getByLabel("Bet 2 odds", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Solve" }).click();

  const alert = page.getByRole("alert", { name: "Request problems" });
  await expect(alert).toContainText("$.bets[0].value", { timeout: 20_000 });
  await expect(alert).toContainText('"hom" does not match MatchWinner');
  await expect(alert).toContainText("$.bets[1].odds");
  await expect(page.getByLabel("Bet 1 value", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Bet 2 odds", { exact: true })).toHaveAttribute("aria-invalid", "true");

  // Fixing the fields clears the problems on the next solve.
  await page.getByLabel("Bet 1 value", { exact: true }).fill("home");
  await page.getByLabel("Bet 2 odds", { exact: true }).fill("3.5");
  await page.getByRole("button", { name: "Solve" }).click();
  await expect(page.getByTestId("profit-range")).toBeVisible({ timeout: 45_000 });
  await expect(alert).toHaveCount(0);

  // The API answers the same problems as JSON.
  const res = await request.post("/api/arbitrage", { data: { bets: [{ bet_type: 42, value: "x", odds: 2 }] } });
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
  expect(body.error.code).toBe("validation_failed");
  expect(body.error.details.map((d) => d.path)).toContain("$.bets[0].bet_type");
});
