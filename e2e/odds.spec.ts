// B2B odds screen, end to end: a ProphetX user logs in on /odds, passes the (simulated) location
// check and places a play from the board. Needs the B2B simulator handler mounted into the exchange
// simulator (SIM_PORT, 4110 under e2e) — see docs/b2b-odds-screen.md.
import { expect, test } from "@playwright/test";

const SIM = `http://127.0.0.1:${process.env.E2E_SIM_PORT ?? "4110"}`;
const USER = { email: "bettor@prophetx.sim", password: "sim-password" };

test("a ProphetX user logs in, passes the location check and places a play from the odds screen", async ({ page, request }) => {
  // The simulated user is in an allowed state (NJ).
  const geo = await request.post(`${SIM}/__b2b/admin/geo`, { data: { email: USER.email, state: "NJ" } });
  expect(geo.ok()).toBe(true);

  await page.goto("/odds");
  await expect(page.getByRole("heading", { name: "ProphetX odds" })).toBeVisible();

  // A wrong password is refused with a clear message.
  await page.getByLabel("ProphetX email").fill(USER.email);
  await page.getByLabel("ProphetX password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in to ProphetX" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "ProphetX" })).toHaveText("ProphetX did not accept that email and password.");

  await page.getByLabel("ProphetX password").fill(USER.password);
  await page.getByRole("button", { name: "Log in to ProphetX" }).click();
  await expect(page.getByText(`Logged in to ProphetX as`)).toBeVisible();
  await expect(page.getByText(USER.email)).toBeVisible();

  // Location check.
  await page.getByRole("button", { name: "Check location" }).click();
  await expect(page.getByTestId("geo-status")).toHaveText(/Location verified/);

  // Pick the first price on the board and place a $10 play.
  const firstPrice = page.getByRole("group").first().getByRole("button").first();
  await expect(firstPrice).toBeVisible();
  await firstPrice.click();
  await expect(firstPrice).toHaveAttribute("aria-pressed", "true");
  await page.getByLabel("Stake (USD)").fill("10");
  await page.getByRole("button", { name: /^Place play/ }).click();

  // The price may have moved between view and click (live simulator): accept the new one once.
  const placed = page.getByText(/^Play placed\. ProphetX ref /);
  const moved = page.getByRole("button", { name: /^Use current odds/ });
  await expect(placed.or(moved)).toBeVisible({ timeout: 15_000 });
  if (await moved.isVisible()) {
    await moved.click();
    await page.getByRole("button", { name: /^Place play/ }).click();
    await expect(placed).toBeVisible({ timeout: 15_000 });
  }
  await expect(page.getByRole("list", { name: "Recent plays" }).getByText(/placed · /).first()).toBeVisible();

  // The wager is on the user's account in the simulator.
  const wagers = await (await request.get(`${SIM}/__b2b/admin/wagers?email=${encodeURIComponent(USER.email)}`)).json();
  expect(wagers.data.wagers.length).toBeGreaterThan(0);

  await page.screenshot({ path: "e2e/artifacts/odds.png", fullPage: true });
});

test("a user outside the allowed states is blocked with a clear message and can retry", async ({ page, request }) => {
  const email = "traveller@prophetx.sim";
  await request.post(`${SIM}/__b2b/admin/geo`, { data: { email, state: "CA" } });
  await page.goto("/odds");
  await page.getByLabel("ProphetX email").fill(email);
  await page.getByLabel("ProphetX password").fill("sim-password");
  await page.getByRole("button", { name: "Log in to ProphetX" }).click();
  await page.getByRole("button", { name: "Check location" }).click();
  await expect(page.getByTestId("geo-status")).toHaveText("Location check failed");
  await expect(page.getByRole("alert").filter({ hasText: "outside" })).toContainText("outside a state where ProphetX is available");
  await page.getByRole("group").first().getByRole("button").first().click();
  await expect(page.getByText("Pass the location check to place this play.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Place play/ })).toBeDisabled();

  await request.post(`${SIM}/__b2b/admin/geo`, { data: { email, state: "NY" } });
  await page.getByRole("button", { name: "Retry location check" }).click();
  await expect(page.getByTestId("geo-status")).toHaveText(/Location verified \(NY\)/);
  await request.post(`${SIM}/__b2b/admin/geo`, { data: { email, state: "CA" } });
  await page.getByRole("button", { name: "Log out of ProphetX" }).click();
  await expect(page.getByRole("button", { name: "Log in to ProphetX" })).toBeVisible();
});
