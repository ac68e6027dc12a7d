// Routing windows per city (issue 17 item 6): the admin gives a city windows of its own on
// /marketplace/windows and sees them saved (in the table and in market_settings), problems beside
// their fields (the browser's check, and the server's own answer to a request changed in flight),
// and takes them away again. Runs on the desktop and the phone project alike.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signInAt } from "./helpers";

let sql: ReturnType<typeof e2eDatabase>;
let savedWindows: unknown;
const CITY = "Staging Town";
const KEY = "staging town";

const cityWindows = async () =>
  ((await sql`select city_windows from market_settings where id = 'default'`)[0]?.city_windows ?? {}) as Record<
    string,
    unknown
  >;

test.beforeAll(async () => {
  sql = e2eDatabase();
  savedWindows = (await sql`select city_windows from market_settings where id = 'default'`)[0]?.city_windows ?? null;
  // Each project starts without the city (the other project may have left it, had it failed).
  await sql`update market_settings set city_windows = city_windows - ${KEY} where id = 'default'`;
});

test.afterAll(async () => {
  if (savedWindows != null)
    await sql`update market_settings set city_windows = ${sql.json(savedWindows as never)} where id = 'default'`;
  await sql.end({ timeout: 5 });
});

// Generous: it ends a hung test, it does not time a busy machine (a sign-in and several saves).
test.setTimeout(240_000);

test("an admin sets a city's windows, sees them saved, and removes them", async ({ page }) => {
  await signInAt(page, "admin@leadflow.test", "/marketplace/windows");
  await expect(page.getByRole("heading", { level: 1, name: "Routing windows per city" })).toBeVisible();
  const form = page.getByRole("form", { name: "City windows" });
  const city = form.getByLabel("City");
  const exclusive = form.getByLabel("Exclusive window (minutes)");
  const tier = form.getByLabel("Tier expansion window (minutes)");
  const save = form.getByRole("button", { name: "Save city windows" });

  // Nothing given: the city and the windows are named, focus on the first problem, nothing saved.
  await save.click();
  await expect(form.getByText("Name the city.")).toBeVisible();
  await expect(form.getByText(/Give at least one window/)).toBeVisible();
  await expect(city).toBeFocused();

  // Out of the engine's bounds and not a number, beside their fields.
  await city.fill(CITY);
  await exclusive.fill("0");
  await tier.fill("2m");
  await save.click();
  await expect(form.getByText("Must be a whole number from 1 to 10,080.")).toBeVisible();
  await expect(form.getByText("Enter a whole number, without letters or decimals.")).toBeVisible();
  await expect(exclusive).toHaveAttribute("aria-invalid", "true");
  await expect(tier).toHaveAttribute("aria-invalid", "true");
  await expect(exclusive).toBeFocused();
  expect(await cityWindows()).not.toHaveProperty(KEY);

  // The server's own check: a request changed on its way (as an out-of-date page might send) is
  // refused with the field named, and its error lands beside that field.
  await page.route("**/trpc/marketAdmin.setCityWindows*", async (route) => {
    const body = JSON.parse(route.request().postData() ?? "{}") as Record<string, { windows: Record<string, number> }>;
    body["0"]!.windows.exclusiveWindowMinutes = 20_000;
    await route.continue({ postData: JSON.stringify(body) });
  });
  await exclusive.fill("1");
  await tier.fill("2");
  await save.click();
  await expect(form.getByText("Must be a whole number from 1 to 10,080.")).toBeVisible();
  await expect(exclusive).toHaveAttribute("aria-invalid", "true");
  await expect(tier).not.toHaveAttribute("aria-invalid", "true");
  expect(await cityWindows()).not.toHaveProperty(KEY);
  await page.unroute("**/trpc/marketAdmin.setCityWindows*");

  // Saved: the table shows the city's windows (broadcast left to the global setting) and so does the database.
  await save.click();
  await expect(form.getByRole("status")).toHaveText(`Saved. New phases of leads in ${CITY} use these windows.`);
  await expect(exclusive).not.toHaveAttribute("aria-invalid", "true");
  const table = page.getByRole("region", { name: "Cities with their own routing windows" });
  const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: KEY }) });
  await expect(row).toContainText("1 min");
  await expect(row).toContainText("2 min");
  await expect(row).toContainText("(global)");
  expect((await cityWindows())[KEY]).toEqual({ exclusiveWindowMinutes: 1, tierExpansionWindowMinutes: 2 });

  // At this width the page does not scroll sideways, and axe finds nothing serious.
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Editing fills the form with the saved windows; removing takes the city back to the global windows.
  await page.getByRole("button", { name: `Edit the windows of ${KEY}` }).click();
  await expect(exclusive).toHaveValue("1");
  await expect(form.getByLabel("Broadcast window (minutes)")).toHaveValue("");
  await page.getByRole("button", { name: `Remove the windows of ${KEY}` }).click();
  await expect(table.getByRole("rowheader", { name: KEY })).toHaveCount(0);
  await expect.poll(async () => Object.keys(await cityWindows())).not.toContain(KEY);
});
