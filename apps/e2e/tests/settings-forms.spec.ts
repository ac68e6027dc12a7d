// Settings forms on the shared form hooks (issue 18): the admin's routing settings and a DJ's price
// range. Every problem of a save shown at once beside its field, focus (and a phone's scroll) on
// the first, nothing half-saved, and a warning before unsaved changes are lost. Runs on the
// desktop and the phone project alike.
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signInAt } from "./helpers";

let sql: ReturnType<typeof e2eDatabase>;
let savedRouting: unknown;
let savedPrices: { price_min_cents: number; price_max_cents: number } | undefined;
const DJ = "DJ Beale Street"; // dj@bealestreet.test

test.beforeAll(async () => {
  sql = e2eDatabase();
  savedRouting = (await sql`select routing from market_settings where id = 'default'`)[0]?.routing ?? null;
  savedPrices = (
    await sql`select price_min_cents, price_max_cents from djs where name = ${DJ}`
  )[0] as typeof savedPrices;
});

test.afterAll(async () => {
  // Put the routing back for the specs after this one.
  if (savedRouting == null) await sql`delete from market_settings where id = 'default'`;
  else await sql`update market_settings set routing = ${sql.json(savedRouting as never)} where id = 'default'`;
  if (savedPrices)
    await sql`update djs set price_min_cents = ${savedPrices.price_min_cents}, price_max_cents = ${savedPrices.price_max_cents} where name = ${DJ}`;
  await sql.end({ timeout: 5 });
});

test.setTimeout(90_000);

const routing = async () => (await sql`select routing from market_settings where id = 'default'`)[0]?.routing ?? null;

/** The focused element's label, whether it is marked invalid, and whether it is on screen. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    const r = el?.getBoundingClientRect();
    return {
      label: el?.labels?.[0]?.textContent ?? null,
      invalid: el?.getAttribute("aria-invalid") === "true",
      onScreen: !!r && r.top >= 0 && r.bottom <= window.innerHeight,
    };
  });

test("routing settings: all problems at once beside their fields, focus on the first, a warning before leaving", async ({
  page,
}) => {
  await signInAt(page, "admin@leadflow.test", "/marketplace");
  const form = page.getByRole("form", { name: "Routing settings" });
  const exclusive = form.getByLabel("Exclusive window (minutes)");
  const broadcastDjs = form.getByLabel("DJs in broadcast");
  await expect(exclusive).not.toHaveValue("");
  const before = await routing();

  // Not a number (only the browser can say so) and out of the engine's bounds (the server's rule,
  // run by the browser too): both on the same save.
  await exclusive.fill("15m");
  await broadcastDjs.fill("500");
  await form.getByRole("button", { name: "Save routing settings" }).click();
  await expect(form.getByText("Enter a whole number, without letters or decimals.")).toBeVisible();
  await expect(form.getByText("Must be a whole number from 1 to 200.")).toBeVisible();
  await expect(form.getByRole("alert").filter({ hasText: "Some settings need attention." })).toBeVisible();
  await expect(exclusive).toHaveAttribute("aria-invalid", "true");
  await expect(broadcastDjs).toHaveAttribute("aria-invalid", "true");
  await expect
    .poll(() => focused(page))
    .toEqual({ label: "Exclusive window (minutes)", invalid: true, onScreen: true });
  expect(await routing()).toEqual(before);

  // Leaving with the changes unsaved asks first; staying keeps them.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calls" }).click();
  const warning = page.getByRole("alertdialog", { name: "Leave without saving?" });
  await expect(warning).toBeVisible();
  await expect(page.getByRole("button", { name: "Stay and save" })).toBeFocused();
  await page.getByRole("button", { name: "Stay and save" }).click();
  await expect(warning).toBeHidden();
  await expect(exclusive).toHaveValue("15m");

  // Fixed, the save goes through, and leaving no longer asks.
  await exclusive.fill("20");
  await broadcastDjs.fill("12");
  await form.getByRole("button", { name: "Save routing settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved. New phases use these settings.");
  await expect(exclusive).not.toHaveAttribute("aria-invalid", "true");
  expect(await routing()).toMatchObject({ exclusiveWindowMinutes: 20, maxBroadcastDJs: 12 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calls" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Calls" })).toBeVisible();
  await expect(warning).toHaveCount(0);
});

test("a DJ's price range: a typo and a range the wrong way round shown together, nothing saved", async ({ page }) => {
  await signInAt(page, "dj@bealestreet.test", "/calendar");
  const form = page.getByRole("form", { name: "Your price range" });
  const from = form.getByLabel("From ($)");
  const upTo = form.getByLabel("Up to ($)");
  await expect(from).not.toHaveValue("");
  const before = (await sql`select price_min_cents, price_max_cents from djs where name = ${DJ}`)[0];

  // Below the $50 floor (the server's schema, run in the browser) and not a number: one save.
  await from.fill("40");
  await upTo.fill("12OO");
  await form.getByRole("button", { name: "Save prices" }).click();
  await expect(form.getByText("At least $50.")).toBeVisible();
  await expect(form.getByText("Enter a whole number, without letters or decimals.")).toBeVisible();
  await expect.poll(() => focused(page)).toEqual({ label: "From ($)", invalid: true, onScreen: true });

  // The cross-field rule, beside "From".
  await from.fill("1500");
  await upTo.fill("1200");
  await form.getByRole("button", { name: "Save prices" }).click();
  await expect(form.getByText("The lowest price must not be above the highest.")).toBeVisible();
  await expect(upTo).not.toHaveAttribute("aria-invalid", "true");
  expect((await sql`select price_min_cents, price_max_cents from djs where name = ${DJ}`)[0]).toEqual(before);

  await upTo.fill("1800");
  await form.getByRole("button", { name: "Save prices" }).click();
  await expect(form.getByRole("status")).toHaveText("Prices saved.");
  expect((await sql`select price_min_cents, price_max_cents from djs where name = ${DJ}`)[0]).toEqual({
    price_min_cents: 150_000,
    price_max_cents: 180_000,
  });
});

test("the admin's verticals: a bad key, no name and a typo in the floor shown together, nothing saved", async ({
  page,
}) => {
  await signInAt(page, "admin@leadflow.test", "/buyers");
  const form = page.getByRole("form", { name: "Add or change a vertical" });
  const count = async () => (await sql`select count(*)::int as n from verticals`)[0]!.n as number;
  const before = await count();
  await form.getByLabel("Vertical key").fill("Bad Key");
  await form.getByLabel("Floor ($)").fill("4x");
  await form.getByRole("button", { name: "Save vertical" }).click();
  await expect(form.getByText("Use 2-40 lower-case letters, digits or dashes, e.g. roofing.")).toBeVisible();
  await expect(form.getByText("Give the vertical a name.")).toBeVisible();
  await expect(form.getByText("Enter an amount in dollars, like 45 or 45.50.")).toBeVisible();
  await expect.poll(() => focused(page)).toEqual({ label: "Vertical key", invalid: true, onScreen: true });
  expect(await count()).toBe(before);
});
