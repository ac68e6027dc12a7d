// The REST API's reference page (GET /api/v1/docs, apps/server/src/rest/reference-page.ts): public,
// on a 390×844 phone and on the desktop it never scrolls sideways, axe finds nothing, it carries no
// script, and it links to the OpenAPI document it is rendered from. The API keys page links to it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signInAt } from "./helpers";

test.beforeEach(async ({ page }, info) => {
  if (info.project.name === "phone") await page.setViewportSize({ width: 390, height: 844 });
});

test("the API reference is readable on a phone, passes axe, and links its OpenAPI document", async ({ page }) => {
  const res = await page.goto("/api/v1/docs");
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "LeadFlow REST API" })).toBeVisible();
  await expect(page.getByRole("navigation").getByRole("link", { name: /POST \/api\/v1\/ping/ })).toBeVisible();
  expect(await page.locator("script").count()).toBe(0);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, "no sideways scroll").toBeLessThanOrEqual(innerWidth);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(
    axe.violations.map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join("; ")})`,
    ),
  ).toEqual([]);

  // An operation's link lands on its section; the schema links resolve on the page.
  await page
    .getByRole("navigation")
    .getByRole("link", { name: /POST \/api\/v1\/post/ })
    .click();
  await expect(page.getByRole("heading", { level: 3, name: /POST \/api\/v1\/post/ })).toBeInViewport();
  const doc = await page.request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toBe("3.1.0");
});

test("the API keys page points a seller to the reference", async ({ page }) => {
  await signInAt(page, "seller@brightpath.test", "/keys");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/api\/v1\/docs$/);
  await expect(page.getByRole("heading", { level: 1, name: "LeadFlow REST API" })).toBeVisible();
});
