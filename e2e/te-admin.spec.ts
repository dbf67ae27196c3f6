import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

// The operator key `npm start` generated for this install (the e2e server runs from the project root).
const teApiKey = () => (JSON.parse(readFileSync("data/secrets.json", "utf8")) as { TE_API_KEY: string }).TE_API_KEY;

test("the operator signs in to the Team Exotics admin view, sees liabilities and changes the margin", async ({ page }) => {
  await page.goto("/te/admin");
  const signIn = page.getByRole("form", { name: "Operator sign-in" });
  await signIn.getByLabel("Operator API key").fill("not-a-key");
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await expect(signIn.getByRole("alert")).toContainText("not valid");
  await signIn.getByLabel("Operator API key").fill(teApiKey());
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("region", { name: "Open liabilities" })).toBeVisible();
  const form = page.getByRole("form", { name: "Margin settings" });
  await form.getByLabel("Base margin (%)").fill("6.5");
  await form.getByRole("button", { name: "Save margin" }).click();
  await expect(form.getByRole("status")).toContainText("Saved");
  await expect(form).toContainText("now 6.50%");
  await page.screenshot({ path: "e2e/artifacts/te-admin.png", fullPage: true });
});
