import { expect, test } from "@playwright/test";
import { signIn, signInAt, signOut } from "./helpers";

const HOMES = [
  { role: "Admin", email: "admin@leadflow.test", heading: "Platform overview", org: "LeadFlow Operations" },
  {
    role: "Contractor",
    email: "owner@bluffcityroofing.test",
    heading: "Your leads and delivery settings",
    org: "Bluff City Roofing",
  },
  {
    role: "Network buyer",
    email: "buyer@homequote.test",
    heading: "Your pings, bids and wins",
    org: "HomeQuote Network",
  },
  { role: "DJ", email: "dj@bealestreet.test", heading: "Your lead inbox", org: "DJ Beale Street" },
  { role: "Lead seller", email: "seller@brightpath.test", heading: "Your leads at a glance", org: "Bright Path Media" },
];

for (const h of HOMES) {
  test(`${h.role} signs in, lands on their home and signs out`, async ({ page }, info) => {
    await signIn(page, h.email);
    await expect(page.getByRole("heading", { level: 1, name: h.heading })).toBeVisible();
    await expect(page.locator(".role-badge")).toHaveText(h.role);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByText(h.org).first()).toBeVisible();
    await page.screenshot({
      path: info.outputPath(`home-${h.role.replace(/\s/g, "-").toLowerCase()}.png`),
      fullPage: true,
    });
    await signOut(page);
    // The session is gone on the server, not just in the page.
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });
}

test("bad credentials and malformed input are explained beside the fields", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter the email address you signed up with.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Email").fill("admin@leadflow.test");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // scrypt makes a sign-in deliberately slow (~0.3 s here, more on a busy machine).
  await expect(page.getByRole("alert").filter({ hasText: "don't match" })).toBeVisible({ timeout: 15_000 });
});

test("an admin opens a page of another role and is told it is not theirs", async ({ page }) => {
  await signInAt(page, "dj@bealestreet.test", "/keys");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a seller creates an API key that is shown once", async ({ page }, info) => {
  // Both projects share one server: each makes a key of its own.
  const keyName = `Landing pages (${info.project.name})`;
  await signIn(page, "seller@brightpath.test");
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill(keyName);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").textContent();
  expect(key).toMatch(/^lf_[0-9a-f]{8}_/);
  // On a phone each row is a card whose cells are named with their column ("Name Landing pages …").
  await expect(page.getByRole("row").filter({ hasText: keyName })).toBeVisible();
  const res = await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(res.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
});
