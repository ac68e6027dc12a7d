// The admin's buyer editor on the shared form hooks (issue 18, Forms): a save shows the browser's
// findings and the server's refusals together beside their fields, focus (and a phone's scroll) on
// the first; a network's hours past midnight are taken only when ticked; unsaved changes are not
// lost without a question, whether the admin leaves the page or closes the editor. Desktop and a
// 390 px phone; the page stays axe clean and never scrolls sideways.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signIn } from "./helpers";

const PHONE = { width: 390, height: 844 };

/** The focused element's accessible name and whether it is marked invalid and on screen. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const r = el?.getBoundingClientRect();
    return {
      label: el?.getAttribute("aria-label") ?? (el as HTMLInputElement | null)?.labels?.[0]?.textContent ?? null,
      invalid: el?.getAttribute("aria-invalid") === "true",
      onScreen: !!r && r.top >= 0 && r.bottom <= window.innerHeight,
    };
  });

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function seriousAxe(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
}

test.beforeEach(async ({ page }, info) => {
  if (info.project.name === "phone") await page.setViewportSize(PHONE);
});

test.setTimeout(90_000);

test("a new buyer's browser and server errors show together beside their fields, focus on the first", async ({
  page,
}, info) => {
  const name = `Editor check ${info.project.name} ${Date.now()}`;
  await signIn(page, "admin@leadflow.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Buyers" }).click();
  await page.getByRole("button", { name: "New buyer" }).click();
  const editor = page.getByRole("form", { name: "New buyer" });
  await editor.getByRole("radio", { name: /Network/ }).check();
  await editor.getByLabel("Organisation").selectOption({ label: "HomeQuote Network" });
  await editor.getByLabel("Name", { exact: true }).fill(name);
  await editor.getByRole("checkbox", { name: /Active/ }).uncheck();
  await editor.getByRole("checkbox", { name: /Roofing/ }).check();
  // Well-formed, but at a private address: only the server's outbound guard can refuse it.
  await editor.getByLabel("Ping URL").fill("http://10.20.30.40/ping");
  await editor.getByLabel("Post URL").fill("http://10.20.30.40/post");
  await editor.getByRole("button", { name: "Create buyer" }).click();
  const pingUrl = editor.getByLabel("Ping URL");
  await expect(editor.getByText("The ping URL points at 10.20.30.40, a private address")).toBeVisible();
  await expect(pingUrl).toHaveAttribute("aria-invalid", "true");
  await expect.poll(() => focused(page)).toEqual({ label: "Ping URL", invalid: true, onScreen: true });

  // Now the browser's own findings: a timeout that is not a number, caps the server's rule refuses,
  // and Friday's hours past midnight without the tick. The server's refusal of the URLs, which
  // were not edited, stays beside them on the same save.
  await editor.getByLabel("Ping timeout (ms)").fill("12x");
  await editor.getByLabel("Daily cap").fill("10");
  await editor.getByLabel("Weekly cap").fill("5");
  const anyTime = editor.getByRole("checkbox", { name: /Any time/ });
  if (await anyTime.isChecked()) await anyTime.uncheck();
  await editor.getByRole("checkbox", { name: "Friday", exact: true }).check();
  await editor.getByLabel("Friday from").fill("18:00");
  await editor.getByLabel("Friday until").fill("09:00");
  // Scroll away first: the save must bring the first problem back on screen.
  await editor.getByRole("button", { name: "Create buyer" }).scrollIntoViewIfNeeded();
  await editor.getByRole("button", { name: "Create buyer" }).click();

  await expect(editor.getByText("Enter whole milliseconds, like 1000.")).toBeVisible();
  await expect(editor.getByText("The weekly cap can't be smaller than the daily cap.")).toBeVisible();
  await expect(editor.getByText("18:00 to 09:00 ends the next morning.", { exact: false })).toBeVisible();
  await expect(editor.getByText("The ping URL points at 10.20.30.40, a private address")).toBeVisible();
  await expect(editor.getByLabel("Ping timeout (ms)")).toHaveAttribute("aria-invalid", "true");
  await expect(editor.getByLabel("Weekly cap")).toHaveAttribute("aria-invalid", "true");
  await expect(editor.getByLabel("Friday until")).toHaveAttribute("aria-invalid", "true");
  await expect(pingUrl).toHaveAttribute("aria-invalid", "true");
  await expect(editor.getByRole("alert").filter({ hasText: "Some settings need attention." })).toBeVisible();
  await expect.poll(() => focused(page)).toEqual({ label: "Ping URL", invalid: true, onScreen: true });
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  expect(await seriousAxe(page)).toEqual([]);

  // Editing a field the server refused clears its refusal: it no longer speaks of this value.
  await pingUrl.fill("http://127.0.0.1:4100/networks/editor/ping");
  await expect(editor.getByText("The ping URL points at 10.20.30.40, a private address")).toBeHidden();
  await expect(pingUrl).not.toHaveAttribute("aria-invalid", "true");

  // Ticking "Past midnight" is what makes Friday's hours acceptable; the other fixes go with it.
  await editor.getByRole("checkbox", { name: "Friday past midnight" }).check();
  await editor.getByLabel("Ping timeout (ms)").fill("1000");
  await editor.getByLabel("Weekly cap").fill("50");
  await editor.getByLabel("Post URL").fill("http://127.0.0.1:4100/networks/editor/post");
  await editor.getByRole("button", { name: "Create buyer" }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: name }).first()).toContainText("paused");
  const sql = e2eDatabase();
  try {
    const [row] = await sql`select hours, cap_weekly from buyers where name = ${name}`;
    expect(row!.cap_weekly).toBe(50);
    expect((row!.hours as Record<string, unknown>).fri).toEqual([["18:00", "09:00"]]);
  } finally {
    await sql.end();
  }
});

test("unsaved changes in the buyer editor are not lost without a question", async ({ page }) => {
  await signIn(page, "admin@leadflow.test");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Buyers" }).click();
  await page.getByRole("button", { name: "Edit Bluff City Roofing", exact: true }).click();
  const editor = page.getByRole("form", { name: "Edit Bluff City Roofing" });
  const dailyCap = editor.getByLabel("Daily cap");
  const before = await dailyCap.inputValue();
  await dailyCap.fill("7");

  // Leaving the page: asked, and staying keeps the change.
  await nav.getByRole("link", { name: "Overview" }).click();
  const leave = page.getByRole("alertdialog", { name: "Leave without saving?" });
  await expect(leave).toBeVisible();
  await expect(leave.getByRole("button", { name: "Stay and save" })).toBeFocused();
  expect(await seriousAxe(page)).toEqual([]);
  await leave.getByRole("button", { name: "Stay and save" }).click();
  await expect(leave).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: "Buyers" })).toBeVisible();
  await expect(dailyCap).toHaveValue("7");

  // Opening another buyer or cancelling would drop it: asked too.
  await page.getByRole("button", { name: "Edit MidSouth Comfort HVAC", exact: true }).click();
  const discard = page.getByRole("alertdialog", { name: "Discard your changes?" });
  await expect(discard).toBeVisible();
  await discard.getByRole("button", { name: "Keep editing" }).click();
  await expect(dailyCap).toHaveValue("7");
  await editor.getByRole("button", { name: "Cancel" }).click();
  await expect(discard).toBeVisible();
  await discard.getByRole("button", { name: "Discard changes" }).click();
  await expect(editor).toBeHidden();

  // Nothing was saved, and with nothing unsaved the page is left without a question.
  await page.getByRole("button", { name: "Edit Bluff City Roofing", exact: true }).click();
  await expect(editor.getByLabel("Daily cap")).toHaveValue(before);
  await nav.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await expect(page).toHaveURL(/\/$/);
});
