import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "../playwright.config";

test("anonymous visitors are sent to the login page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Parlay Desk" })).toBeVisible();
});

test("trader APIs refuse anonymous requests", async ({ request }) => {
  const live = await request.get("/api/live");
  expect(live.status()).toBe(401);
  expect((await live.json()).error.code).toBe("unauthorized");
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect((await health.json()).database.ok).toBe(true);
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Next.js adds its own role="alert" route announcer, so look inside the form.
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");
});

test("a trader signs in and sees the desk with every area in the navigation", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Desk" });
  for (const area of ["Parlay requests", "Order book", "Exposure", "Settlements", "Health & controls", "Audit log", "Arbitrage calculator", "Acca designer"]) {
    await expect(nav.getByRole("link", { name: area })).toBeVisible();
  }
  await page.screenshot({ path: "e2e/artifacts/overview.png", fullPage: true });
});
