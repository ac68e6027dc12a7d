// A seller's time zone in the portal, on the desktop and at a phone's 390 px: the seller refuses
// a zone that is not one (a clear error beside the field, nothing saved), sets America/Los_Angeles
// on "Your terms", and every portal page then says "Times in America/Los_Angeles", fits the
// window and passes axe. The zone it had is put back at the end, for the other specs.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, trpcCall } from "./helpers";

test.setTimeout(240_000);

const ZONE = "America/Los_Angeles";

test.beforeEach(async ({ page }, info) => {
  if (info.project.name === "phone") await page.setViewportSize({ width: 390, height: 844 });
});

async function fitsAndPassesAxe(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`)).toEqual([]);
}

test("a seller sets its time zone and the portal counts and prints in it", async ({ page }) => {
  await signIn(page, "seller@brightpath.test");
  const before = await trpcCall<{ timeZone: string } | null>(page.request, "GET", "sources.mine");
  const original = before?.timeZone ?? "America/Chicago";
  try {
    await page.goto("/terms");
    const form = page.getByRole("form", { name: "Your time zone" });
    await expect(form).toBeVisible();
    await expect(page.getByTestId("seller-time-zone")).toContainText(`Times in ${original}`);

    // Not a zone: refused beside the field, nothing saved.
    await form.getByLabel("Time zone").fill("Mars/Olympus");
    await form.getByRole("button", { name: "Save time zone" }).click();
    await expect(form.getByRole("alert")).toContainText("Not a time zone");
    await expect(form.getByLabel("Time zone")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Time zone")).toBeFocused();
    expect((await trpcCall<{ timeZone: string }>(page.request, "GET", "sources.mine")).timeZone).toBe(original);
    await fitsAndPassesAxe(page);

    await form.getByLabel("Time zone").fill(ZONE);
    await form.getByRole("button", { name: "Save time zone" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved.");
    await expect(page.getByTestId("seller-time-zone")).toContainText(`Times in ${ZONE}`);

    // Every page of the portal says which clock its days, months and times are on.
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Home" }).click();
    await expect(page.getByTestId("seller-time-zone")).toHaveText(`Times in ${ZONE}. Change your time zone`);
    await expect(page.getByTestId("seller-stats-today")).toBeVisible();
    await fitsAndPassesAxe(page);
    // "Today" opens the leads page filtered to today's date there.
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());
    await page.getByRole("link", { name: "See the leads of today" }).click();
    await expect(page).toHaveURL(new RegExp(`from=${today}&to=${today}`));
    await expect(page.getByTestId("seller-time-zone")).toContainText(`Times in ${ZONE}`);
    await expect(page.getByLabel("Received from")).toHaveValue(today);
    await fitsAndPassesAxe(page);
    await nav.getByRole("link", { name: "Earnings" }).click();
    await expect(page.getByTestId("seller-time-zone")).toContainText(`Times in ${ZONE}`);
    await fitsAndPassesAxe(page);
  } finally {
    await trpcCall(page.request, "POST", "sources.setMyTimeZone", { timeZone: original });
  }
});
