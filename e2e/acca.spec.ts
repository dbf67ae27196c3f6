// The guest acca designer end to end (no login): pick selections across matches and markets, see the
// price, change "at least k of n" and watch the price move, restore the slip from its share link, and
// check that "Place bet" asks the customer to sign in. Screenshot: e2e/artifacts/acca.png.
import { expect, test, type Page } from "@playwright/test";

const priceOf = async (page: Page): Promise<number> => Number((await page.getByTestId("acca-price").textContent())?.trim());

/** Waits until the price is settled (no "Updating…") and differs from `not`, then returns it. */
const settledPrice = async (page: Page, not?: number): Promise<number> => {
  await expect(page.getByTestId("acca-price")).toHaveText(/^\d+\.\d{2}$/);
  await expect(page.getByText("Updating…")).toHaveCount(0);
  if (not !== undefined) await expect.poll(() => priceOf(page)).not.toBe(not);
  return priceOf(page);
};

test("a guest designs an acca and watches the price change", async ({ page, request }) => {
  // The TE API itself needs an operator session; the designer works without one.
  const anon = await request.get("/te/api/leagues");
  expect(anon.status()).toBe(401);
  expect(await anon.json()).toEqual({ status: "error", message: "not logged in" });

  await page.goto("/acca");
  await expect(page.getByRole("heading", { name: "Design your acca" })).toBeVisible();
  await expect(page.getByText("Your slip is empty")).toBeVisible();
  await expect(page.getByRole("button", { name: "English Premier League" })).toHaveAttribute("aria-pressed", "true");

  const matchButtons = page.locator("li > button[aria-expanded]");
  await expect(matchButtons.first()).toBeVisible();

  // Leg 1: the home side of the first match to win.
  await matchButtons.nth(0).click();
  await page.getByRole("button", { name: /^Add .+ to win \(/ }).first().click();
  await expect(page.getByRole("heading", { name: "Your acca (1 leg)" })).toBeVisible();
  const single = await settledPrice(page);
  expect(single).toBeGreaterThan(1);

  // Leg 2: over 2.5 goals in the same match (priced jointly with leg 1).
  await page.getByRole("button", { name: /^Add over 2\.5 goals \(/ }).first().click();
  // Leg 3: both teams to score in the second match.
  await matchButtons.nth(0).click();
  await matchButtons.nth(1).click();
  await page.getByRole("button", { name: /^Add both teams to score: yes \(/ }).first().click();
  await expect(page.getByRole("heading", { name: "Your acca (3 legs)" })).toBeVisible();
  const all3 = await settledPrice(page, single);
  expect(all3).toBeGreaterThan(single);
  await expect(page.getByTestId("acca-description")).toContainText("All 3 of:");

  // At least 2 of 3: a shorter price.
  await page.getByLabel("Minimum number of winning selections").selectOption("2");
  const atLeast2 = await settledPrice(page, all3);
  expect(atLeast2).toBeLessThan(all3);
  await expect(page.getByTestId("acca-description")).toContainText("At least 2 of:");
  await expect(page).toHaveURL(/\/acca\?bet=te_[0-9a-f]{24}$/);
  const shared = page.url();
  await page.screenshot({ path: "e2e/artifacts/acca.png", fullPage: true });

  // The share link restores the same slip and price.
  await page.goto(shared);
  await expect(page.getByText(/Loaded a shared acca/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your acca (3 legs)" })).toBeVisible();
  await expect(page.getByLabel("Minimum number of winning selections")).toHaveValue("2");
  expect(await settledPrice(page)).toBe(atLeast2);

  // Removing a leg re-prices.
  await page.getByRole("button", { name: /^Remove Both teams to score/ }).click();
  await expect(page.getByRole("heading", { name: "Your acca (2 legs)" })).toBeVisible();
  await settledPrice(page, atLeast2);

  // Placing a bet needs a customer account.
  await page.getByRole("button", { name: "Place bet (sign in)" }).click();
  await expect(page).toHaveURL(/\/account\/login\?next=%2Facca%3Fbet%3Dte_[0-9a-f]{24}/);
});
