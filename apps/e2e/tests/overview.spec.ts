// The admin overview in a real browser, on a desktop and at 390×844: eight figure cards with a
// number and a sparkline each, today's lead count equal to the database's, a card's link opening
// the analytics page for the same week, no sideways scroll and nothing serious for axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signInAt } from "./helpers";

const CARDS = [
  "leads",
  "soldBp",
  "revenueCents",
  "profitCents",
  "medianLatencyMs",
  "timeouts",
  "openOffers",
  "failingDeliveries",
];

async function noSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

async function checkOverview(page: Page) {
  await signInAt(page, "admin@leadflow.test", "/");
  await expect(page.getByRole("heading", { name: "Platform overview" })).toBeVisible();
  for (const key of CARDS) {
    const card = page.getByTestId(`overview-${key}`);
    await expect(card).toBeVisible();
    // A figure, or a dash where there is nothing to measure (a median of no pings).
    await expect(card.locator(".overview-main strong")).toHaveText(/^(-?\$?[\d,.]+( ms|%)?|–)$/);
    await expect(card.getByRole("img")).toHaveAttribute("aria-label", /^Per day from \d{4}-\d{2}-\d{2} to /);
  }
  // Today's leads as the database counts them (UTC day), so the card shows a real figure.
  const sql = e2eDatabase();
  try {
    const [{ n }] = (await sql`select count(*)::int as n from leads
      where received_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`) as unknown as [
      { n: number },
    ];
    await expect(page.getByTestId("overview-leads").locator(".overview-main strong")).toHaveText(
      n.toLocaleString("en-US"),
    );
  } finally {
    await sql.end();
  }
  await expect(page.getByRole("region", { name: "Organisations" })).toBeVisible();
  await noSidewaysScroll(page);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  // The revenue card opens revenue analytics for the card's week.
  await page.getByTestId("overview-revenueCents").getByRole("link").click();
  await expect(page).toHaveURL(/\/analytics\/revenue\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByRole("heading", { name: "Revenue and deliveries", level: 1 })).toBeVisible();
  await noSidewaysScroll(page);
}

test("the overview's cards on a desktop", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "the desktop project's size");
  await checkOverview(page);
});

test("the overview's cards stack at 390×844", async ({ page }, info) => {
  test.skip(info.project.name !== "phone", "the phone project's touch and size");
  await page.setViewportSize({ width: 390, height: 844 });
  await checkOverview(page);
  await page.goto("/");
  await expect(page.locator(".overview-card")).toHaveCount(CARDS.length);
  // Stacked: every card starts at the same left edge.
  const lefts = await page
    .locator(".overview-card")
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
  expect(new Set(lefts).size).toBe(1);
});
