// The seller portal end to end, on the desktop and the phone project: a lead seller signs in,
// makes an API key, sends a lead with it through POST /api/v1/leads, sees it arrive and settle in
// its portal, filters its leads down to it, and downloads the filtered leads as CSV (the file's
// content checked: the lead, its status, hostile text quoted and its formula disarmed). The home's
// figures and the earnings page are there too, without sideways scroll.
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { signIn, trpcCall } from "./helpers";

test.setTimeout(240_000);

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

test("a seller sends a lead with its API key, sees it settle, filters and exports it", async ({ page }, info) => {
  await signIn(page, "seller@brightpath.test");
  await expect(page.getByRole("heading", { level: 1, name: "Your leads at a glance" })).toBeVisible();
  const today = page.getByTestId("seller-stats-today");
  await expect(today).toBeVisible();
  const sentBefore = Number(await today.getByTestId("sent").textContent());

  // The key, made on the API keys page like a seller would.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Key name").fill(`Portal (${info.project.name})`);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!;
  expect(key).toMatch(/^lf_[0-9a-f]{8}_/);

  // The seller's system sends a lead; its name is hostile text a spreadsheet would run.
  const n = `${Date.now()}`.slice(-6);
  const externalId = `portal-${info.project.name}-${n}`;
  const firstName = '=HYPERLINK("http://evil.test","x"), Jr';
  const res = await page.request.post("/api/v1/leads", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      externalId,
      vertical: "roofing",
      zip: "38104",
      contact: { firstName, lastName: "Portal", phone: `901555${n.slice(-4)}`, email: `portal.${n}@example.test` },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };

  // It arrives on the leads page; filtering by its external id leaves only it.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your leads" })).toBeVisible();
  await expect(page.getByTestId(`seller-lead-${externalId}`)).toBeVisible();
  // The filter's days, the CSV's times and its file name are on the seller's clock.
  const zone = (await trpcCall<{ timeZone: string }>(page.request, "GET", "sources.mine")).timeZone;
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
  await page.getByLabel("Your external id").fill(externalId);
  await page.getByLabel("Received from").fill(day);
  await page.getByRole("button", { name: "Show leads" }).click();
  await expect(page).toHaveURL(new RegExp(`externalId=${externalId}`));
  await expect(page.getByRole("status").filter({ hasText: "1–1 of 1 shown" })).toBeVisible();
  await expect(page.getByTestId(`seller-lead-${externalId}`)).toBeVisible();
  await noSidewaysScroll(page);

  // Its page: it settles (sold or unsold, with why), with the seller's story and no buyer.
  await page.getByRole("link", { name: externalId }).click();
  await expect(page).toHaveURL(new RegExp(`/leads/${id}$`));
  await expect(page.getByRole("heading", { level: 1, name: `Lead ${externalId}` })).toBeVisible();
  await expect(page.getByTestId("lead-status")).toHaveText(/^(Sold|Unsold: .+)$/, { timeout: 60_000 });
  const status = (await page.getByTestId("lead-status").textContent())!.startsWith("Sold") ? "SOLD" : "UNSOLD";
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("LeadFlow received the lead.");
  await expect(timeline).toContainText(status === "SOLD" ? "Sold." : "Unsold:");
  await expect(page.getByRole("main")).toContainText(firstName);
  await noSidewaysScroll(page);

  // Back to the filtered list, and the CSV of exactly what is filtered.
  await page.goBack();
  await expect(page.getByTestId(`seller-lead-${externalId}`)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download these leads as CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`leads-${day}.csv`);
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.split("\r\n").filter(Boolean);
  expect(lines[0]).toBe(
    "lead_id,external_id,received_at,status,unsold_reason,vertical,zip,state,first_name,last_name,email,phone,payout_usd,reversed_usd,earned_usd,returned",
  );
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(new RegExp(`^${id},${externalId},${day}T\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d,`));
  expect(lines[1]).toContain(`,${status},`);
  // Quoted (a comma and quotes inside), quotes doubled, and a leading apostrophe so it is not a formula.
  expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.test"",""x""), Jr",Portal,`);

  // The home counts it; the earnings page opens.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(today.getByTestId("sent")).not.toHaveText(String(sentBefore));
  expect(Number(await today.getByTestId("sent").textContent())).toBeGreaterThan(sentBefore);
  await noSidewaysScroll(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Earnings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Earnings by month" })).toBeVisible();
  await noSidewaysScroll(page);
});

test("the CSV downloads are for a seller's session only", async ({ page }) => {
  await signIn(page, "buyer@homequote.test");
  expect((await page.request.get("/api/seller/leads.csv")).status()).toBe(403);
  expect((await page.request.get("/api/seller/statements/2026-01")).status()).toBe(403);
});
