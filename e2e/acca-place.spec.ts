// Placing a designed acca end to end: a guest designs an acca, clicks "Place bet", signs in as the
// demo customer (created by `npm start`: demo.customer@example.com / demo-bettor-1, 1,000.00), comes
// back to the same slip with the same stake, confirms, sees the placed bet and the new balance, and
// finds it on /account. Screenshot: e2e/artifacts/acca-placed.png.
import { expect, test, type Page } from "@playwright/test";

const DEMO = { email: "demo.customer@example.com", password: process.env.DEMO_CUSTOMER_PASSWORD || "demo-bettor-1" };

const settledPrice = async (page: Page): Promise<string> => {
  await expect(page.getByTestId("acca-price")).toHaveText(/^\d+\.\d{2}$/);
  await expect(page.getByText("Updating…")).toHaveCount(0);
  return ((await page.getByTestId("acca-price").textContent()) ?? "").trim();
};

const money = (s: string | null): number => Number((s ?? "").replace(/,/g, "").trim());

test("a guest designs an acca, signs in, places it and sees it on /account", async ({ page }) => {
  // Signed out, /account sends the customer to sign in.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/account\/login\?next=%2Faccount$/);

  // Design: home win + over 2.5 goals in the first match, BTTS in the second.
  await page.goto("/acca");
  const matchButtons = page.locator("li > button[aria-expanded]");
  await expect(matchButtons.first()).toBeVisible();
  await matchButtons.nth(0).click();
  await page.getByRole("button", { name: /^Add .+ to win \(/ }).first().click();
  await page.getByRole("button", { name: /^Add over 2\.5 goals \(/ }).first().click();
  await matchButtons.nth(0).click();
  await matchButtons.nth(1).click();
  await page.getByRole("button", { name: /^Add both teams to score: yes \(/ }).first().click();
  await expect(page.getByRole("heading", { name: "Your acca (3 legs)" })).toBeVisible();
  await page.getByLabel("Minimum number of winning selections").selectOption("2");
  const price = await settledPrice(page);
  await page.getByLabel("Stake", { exact: true }).fill("7.50");

  // Place bet as a guest → sign in first, with the slip and stake in ?next=.
  await page.getByRole("button", { name: "Place bet (sign in)" }).click();
  await expect(page).toHaveURL(/\/account\/login\?next=%2Facca%3Fbet%3Dte_[0-9a-f]{24}%26stake%3D7\.50$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  // A wrong password is refused with a clear message.
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email" })).toHaveText("Wrong email or password.");

  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back on the same slip, same price and stake.
  await expect(page).toHaveURL(/\/acca\?(.*&)?bet=te_[0-9a-f]{24}/);
  await expect(page.getByText(/Loaded a shared acca/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your acca (3 legs)" })).toBeVisible();
  expect(await settledPrice(page)).toBe(price);
  await expect(page.getByLabel("Stake", { exact: true })).toHaveValue("7.50");
  await expect(page.getByText(/Signed in · balance/)).toBeVisible();

  // Place bet → confirm → placed.
  await page.getByRole("button", { name: "Place bet", exact: true }).click();
  const confirm = page.getByRole("group", { name: "Confirm your bet" });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText("7.50");
  await expect(confirm).toContainText(price);
  const before = money(await confirm.locator("dd").last().textContent());
  await page.getByRole("button", { name: "Confirm bet" }).click();

  const placed = page.getByTestId("acca-placed");
  await expect(placed).toBeVisible();
  await expect(placed).toContainText("Bet placed");
  const betId = ((await page.getByTestId("placed-bet-id").textContent()) ?? "").trim();
  expect(betId).toMatch(/^[0-9a-f-]{36}$/);
  const newBalance = money(await page.getByTestId("placed-balance").textContent());
  expect(newBalance).toBeCloseTo(before - 7.5, 2);
  const payout = money(await page.getByTestId("placed-payout").textContent());
  expect(payout).toBeCloseTo(Math.floor(750 * Math.round(Number(price) * 100) / 100) / 100, 2);
  await page.screenshot({ path: "e2e/artifacts/acca-placed.png", fullPage: true });

  // The account page lists it, with the same balance.
  await page.getByRole("link", { name: "View in your account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByTestId("account-balance")).toHaveText(new RegExp(newBalance.toLocaleString("en-GB", { minimumFractionDigits: 2 }).replace(/\./g, "\\.")));
  const row = page.locator(`[data-testid="open-bet"][data-bet-id="${betId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("7.50");
  await expect(row).toContainText(String(Number(price))); // stored as the decimal sent ("5.20" → "5.2")

  // Sign out → /account needs signing in again.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/account\/login/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/account\/login\?next=%2Faccount$/);
});
