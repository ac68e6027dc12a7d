// The Sources page: the admin sets a lead seller's payout rule and terms (its time zone among them)
// at a phone's 390 px width (no sideways scroll, every control reachable by its label), and the
// seller reads them, unable to change them but for its time zone, on its own "Your terms" page.
import { expect, test, type Page } from "@playwright/test";
import { signInAt, trpcCall } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });
test.setTimeout(240_000);

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

test("the admin sets a seller's payout rule and terms; the seller sees them read-only", async ({ page, browser }) => {
  await signInAt(page, "admin@leadflow.test", "/sources");
  await expect(page.getByRole("heading", { level: 1, name: "Sources" })).toBeVisible();
  const card = page.getByRole("article").filter({ has: page.getByRole("heading", { name: "Bright Path Media" }) });
  await expect(card).toBeVisible();
  await noSidewaysScroll(page);

  const rule = card.getByRole("form", { name: "Set a payout rule for Bright Path Media" });
  await rule.getByLabel("Rule").selectOption({ label: "Share of the sale price" });
  await rule.getByLabel("Share of the sale (%)").fill("40");
  await rule.getByLabel("Minimum margin LeadFlow keeps ($)").fill("3");
  await rule.getByRole("button", { name: "Set rule" }).click();
  await expect(card).toContainText("All verticals: Share of the sale price: 40% (LeadFlow keeps at least $3.00)");

  const terms = card.getByRole("form", { name: "Ping and return terms of Bright Path Media" });
  const ttl = terms.getByLabel("Hold a ping's bids for (seconds)");
  const returnDays = terms.getByLabel("Return window (days)");
  const zone = terms.getByLabel("Time zone");
  const originalZone = await zone.inputValue();
  const originalDays = await returnDays.inputValue();
  // Out of range, twice, and a zone that is not one: every problem beside its field on the first
  // save, focus (and the phone's scroll) on the first, and nothing is saved.
  await ttl.fill("0");
  await returnDays.fill("400");
  await zone.fill("Mars/Olympus");
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(ttl).toHaveAttribute("aria-invalid", "true");
  await expect(ttl).toHaveAccessibleDescription(/Hold bids at least 1 second\./);
  await expect(returnDays).toHaveAccessibleDescription(/at most 365 days/);
  await expect(zone).toHaveAccessibleDescription(/Not a time zone/);
  await expect(ttl).toBeFocused();
  await expect(ttl).toBeInViewport();
  await expect(terms.getByRole("status")).toHaveCount(0);
  // Unsaved changes: leaving by the menu asks first, and staying keeps them.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("alertdialog", { name: "Leave without saving?" })).toBeVisible();
  await page.getByRole("button", { name: "Stay and save" }).click();
  await expect(ttl).toHaveValue("0");
  await ttl.fill("90");
  await returnDays.fill(originalDays);
  await zone.fill("America/Denver");
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(terms.getByRole("status")).toHaveText("Saved.");
  await noSidewaysScroll(page);

  const seller = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signInAt(seller, "seller@brightpath.test", "/terms");
  await expect(seller.getByRole("heading", { level: 1, name: "Your terms" })).toBeVisible();
  await expect(seller.getByRole("main")).toContainText("Share of the sale price: 40%");
  await expect(seller.getByRole("main")).toContainText("held for 90 seconds");
  await expect(seller.getByTestId("seller-time-zone")).toContainText("Times in America/Denver");
  // Read-only: LeadFlow's terms have nothing to press; the seller's one setting is its time zone.
  const readOnly = seller.getByTestId("terms-read-only");
  await expect(readOnly.getByRole("button")).toHaveCount(0);
  await expect(readOnly.getByRole("textbox")).toHaveCount(0);
  await expect(seller.getByRole("main").getByRole("button")).toHaveText(["Save time zone"]);
  await noSidewaysScroll(seller);
  // The zone it had, back for the other specs.
  await trpcCall(seller.request, "POST", "sources.setMyTimeZone", { timeZone: originalZone });
  await seller.close();
});
