// A DJ on a phone (390 px) sees the date they accepted held on their calendar (issue 17, item 2):
// a couple's inquiry reaches Memphis's top DJ, the DJ accepts, and the calendar lists the date as
// held for that couple; blocking the held date is refused with a message. Axe clean, no sideways scroll.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });
test.setTimeout(120_000);

async function checkPage(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
}

test("a DJ accepts an inquiry and sees its date held on the calendar, which they cannot block", async ({
  browser,
  page,
}, info) => {
  test.skip(info.project.name !== "phone", "a phone's story: the desktop run would only repeat it on a wider screen");
  // A date no other spec uses, so no earlier offer or booking holds the DJ's calendar.
  const eventDate = new Date(Date.now() + 171 * 86_400_000).toISOString().slice(0, 10);

  // serve.ts seeds the demo after the server answers /healthz, so wait for the DJs to exist.
  await expect(async () => {
    await page.goto("/inquire");
    await page.getByLabel("City").selectOption("Memphis", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await page.getByLabel("Your name").fill("Jordan Couple");
  await page.getByLabel("Email", { exact: true }).fill("jordan.couple@example.test");
  await page.getByLabel("Event date").fill(eventDate);
  await page.getByLabel("Budget from ($)").fill("1000");
  await page.getByLabel("Budget up to ($)").fill("2000");
  await page.getByRole("checkbox", { name: /I agree that up to five DJs/ }).check();
  await page.getByLabel("Guests").fill("120");
  await page.getByRole("button", { name: "Ask DJs for quotes" }).click();
  await expect(page).toHaveURL(/\/compare\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);

  const djContext = await browser.newContext({ ...info.project.use, viewport: { width: 390, height: 844 } });
  const dj = await djContext.newPage();
  await signIn(dj, "dj@bealestreet.test");
  const offer = dj.getByRole("list", { name: "New offers" }).getByRole("listitem", { name: `Wedding on ${eventDate}` });
  await expect(offer).toBeVisible();
  await offer.getByLabel("Your quote ($)").fill("1450");
  await offer.getByRole("button", { name: "Accept" }).click();
  await expect(
    dj
      .getByRole("list", { name: "Accepted leads" })
      .getByRole("listitem", { name: `Wedding on ${eventDate}` })
      .getByText("You accepted with a quote of $1,450."),
  ).toBeVisible();

  await dj.goto("/calendar");
  const row = dj.getByRole("row").filter({ hasText: eventDate });
  await expect(row.getByText("Held: you accepted a couple's inquiry for this date")).toBeVisible();
  await checkPage(dj);

  // Blocking the held date is refused, and the row stays as it was.
  await dj.getByRole("textbox", { name: "Date", exact: true }).fill(eventDate);
  await dj.getByRole("combobox", { name: "Status" }).selectOption("unavailable");
  await dj.getByRole("button", { name: "Save date" }).click();
  await expect(dj.getByRole("alert")).toContainText("This date is held for a couple you quoted.");
  await expect(row.getByText("Held: you accepted a couple's inquiry for this date")).toBeVisible();
  await checkPage(dj);
  await djContext.close();
});
