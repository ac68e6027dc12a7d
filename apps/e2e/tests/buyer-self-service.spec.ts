// A network buyer serves itself: it changes its minimum bid and its ping URL (to a real HTTP buyer
// on loopback started here), gives its ping a form template, sends a test ping and sees the exact
// request, the raw answer and the bid LeadFlow understood; then the admin finds both changes in the
// audit log. On a desktop and a phone (no sideways scroll, axe clean).
import AxeBuilder from "@axe-core/playwright";
import { expect, request, test, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_PASSWORD, signInAt, signOut, trpcCall } from "./helpers";

const NETWORK = "buyer@homequote.test";
let server: Server;
let buyerUrl = "";
const received: { url: string; body: string; contentType: string }[] = [];
type Buyer = { id: string; name: string; type: string } & Record<string, unknown>;
let original: Buyer | null = null;

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
const axeClean = async (page: Page) => {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
};

test.beforeAll(async ({ baseURL }) => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ url: req.url ?? "", body, contentType: String(req.headers["content-type"] ?? "") });
      res.setHeader("content-type", "application/json");
      res.setHeader("x-e2e-buyer", "yes");
      res.end(JSON.stringify({ bid: 17.25, reason: "e2e buyer likes it" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  buyerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The buyer as the seed left it, to put back afterwards (other specs run auctions against it).
  const net = await request.newContext({ baseURL: baseURL! });
  await trpcCall(net, "POST", "auth.login", { email: NETWORK, password: DEMO_PASSWORD });
  original ??= (await trpcCall<Buyer[]>(net, "GET", "buyers.list")).find((b) => b.type === "NETWORK") ?? null;
  await net.dispose();
});

test.afterAll(async ({ baseURL }) => {
  await new Promise((r) => server?.close(r));
  if (!original) return;
  const net = await request.newContext({ baseURL: baseURL! });
  await trpcCall(net, "POST", "auth.login", { email: NETWORK, password: DEMO_PASSWORD });
  const o = original;
  await trpcCall(net, "POST", "buyers.updateMyTerms", {
    id: o.id,
    terms: {
      pingUrl: o.pingUrl,
      postUrl: o.postUrl,
      pingTimeoutMs: o.pingTimeoutMs,
      minBidCents: o.minBidCents,
      capDaily: o.capDaily,
      capWeekly: o.capWeekly,
      capMonthly: o.capMonthly,
      timeZone: o.timeZone,
      hours: o.hours,
      serviceZips: o.serviceZips,
      compliance: o.compliance,
      responseMapping: o.responseMapping,
    },
  });
  await trpcCall(net, "POST", "buyers.setMyRequestTemplate", { id: o.id, requestTemplate: o.requestTemplate ?? null });
  await net.dispose();
});

test("a network buyer changes its minimum bid and template, sends a test ping; the admin sees both in the audit log", async ({
  page,
}, info) => {
  test.setTimeout(150_000);
  const phone = info.project.name === "phone";
  const minBid = phone ? "14.50" : "13.50";
  await signInAt(page, NETWORK, "/terms");
  await expect(page.getByRole("heading", { name: "Your terms", level: 1 })).toBeVisible();
  const terms = page.getByRole("form", { name: /Terms for/ });
  await terms.getByLabel("Ping URL").fill(`${buyerUrl}/ping`);
  await terms.getByLabel("Minimum bid ($)").fill(minBid);
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(terms.getByRole("status")).toContainText("Your terms are saved.");

  // The ping as a form with the buyer's own field name.
  const tpl = page.getByRole("form", { name: /Request templates of/ });
  await tpl.getByLabel("Ping format").selectOption("FORM");
  const row = tpl.getByRole("group", { name: "Ping field 1" });
  await row.getByLabel("Buyer's name").fill("zip_code");
  await row.getByLabel("Value from").selectOption("zip");
  await tpl.getByRole("button", { name: "Save templates" }).click();
  await expect(tpl.getByRole("status")).toContainText("Templates saved");

  received.length = 0;
  await page.getByRole("button", { name: "Send a test ping" }).click();
  const result = page.getByTestId("test-result");
  await expect(result.getByTestId("test-understood")).toContainText("A bid: $17.25");
  await expect(result.getByTestId("test-understood")).toContainText("e2e buyer likes it");
  await expect(result.getByTestId("test-status")).toContainText("HTTP 200");
  await expect(result).toContainText("x-e2e-buyer");
  await expect(result).toContainText(`${buyerUrl}/ping`);
  // What the page shows is what the buyer got: the form body from the template.
  expect(received).toHaveLength(1);
  expect(received[0]!.contentType).toContain("application/x-www-form-urlencoded");
  expect(received[0]!.body).toContain("zip_code=");
  await expect(result.getByLabel("Request body")).toHaveText(received[0]!.body);
  await noSidewaysScroll(page);
  await axeClean(page);

  // The admin's audit log has both changes, by this buyer.
  await signOut(page);
  await signInAt(page, "admin@leadflow.test", "/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.getByLabel("Who (email)").fill(NETWORK);
  await page.getByRole("button", { name: "Show entries" }).click();
  const termsRow = page.getByTestId("audit-buyers.updateMyTerms").first();
  await expect(termsRow).toContainText(NETWORK);
  await expect(termsRow).toContainText(`$${minBid}`);
  await expect(page.getByTestId("audit-buyers.setMyRequestTemplate").first()).toContainText("request template");
  await expect(page.getByTestId("audit-buyers.sendTest").first()).toContainText("Test ping");
  await noSidewaysScroll(page);
  await axeClean(page);
});

test("the network's terms form shows every problem beside its field, focused, and refuses hours past midnight unless ticked", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await signInAt(page, NETWORK, "/terms");
  const terms = page.getByRole("form", { name: /Terms for/ });
  const timeout = terms.getByLabel("Ping timeout (ms)");
  const daily = terms.getByLabel("Daily cap", { exact: true });
  const weekly = terms.getByLabel("Weekly cap", { exact: true });
  await expect(timeout).toBeVisible();
  const before = {
    timeout: await timeout.inputValue(),
    daily: await daily.inputValue(),
    weekly: await weekly.inputValue(),
  };

  // A rule on one field and a rule between two: both beside their fields on the first save, focus on the first.
  await timeout.fill("10");
  await daily.fill("5");
  await weekly.fill("2");
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(timeout).toHaveAttribute("aria-invalid", "true");
  await expect(timeout).toHaveAccessibleDescription(/at least 50 ms/);
  await expect(weekly).toHaveAccessibleDescription(/can't be smaller than the daily cap/);
  await expect(timeout).toBeFocused();
  await expect(timeout).toBeInViewport();
  await expect(terms.getByRole("status")).toHaveText("");
  // Unsaved changes: leaving by the menu asks first, and staying keeps them.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("alertdialog", { name: "Leave without saving?" })).toBeVisible();
  await page.getByRole("button", { name: "Stay and save" }).click();
  await expect(timeout).toHaveValue("10");
  await timeout.fill(before.timeout);
  await daily.fill(before.daily);
  await weekly.fill(before.weekly);

  // Monday 18:00 → 09:00 without "Past midnight": refused beside Monday, focus there.
  const anyTime = terms.getByRole("checkbox", { name: /Any time/ });
  if (await anyTime.isChecked()) await anyTime.uncheck();
  const monday = terms.getByRole("checkbox", { name: "Monday", exact: true });
  if (!(await monday.isChecked())) await monday.check();
  const until = terms.getByLabel("Monday until");
  await terms.getByLabel("Monday from").fill("18:00");
  await until.fill("09:00");
  const overnight = terms.getByRole("checkbox", { name: "Monday past midnight" });
  if (await overnight.isChecked()) await overnight.uncheck();
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(until).toHaveAttribute("aria-invalid", "true");
  await expect(until).toHaveAccessibleDescription(/ends the next morning/);
  await expect(until).toBeFocused();
  await expect(terms.getByRole("status")).toHaveText("");

  // The server refuses the same when asked directly with the days that run overnight.
  const mine = (await trpcCall<Buyer[]>(page.request, "GET", "buyers.list")).find((b) => b.type === "NETWORK")!;
  const refused = await page.request.post("/trpc/buyers.updateMyTerms", {
    data: {
      id: mine.id,
      terms: {
        pingUrl: mine.pingUrl,
        postUrl: mine.postUrl,
        pingTimeoutMs: mine.pingTimeoutMs,
        minBidCents: mine.minBidCents,
        capDaily: mine.capDaily,
        capWeekly: mine.capWeekly,
        capMonthly: mine.capMonthly,
        timeZone: mine.timeZone,
        hours: { mon: [["18:00", "09:00"]] },
        serviceZips: mine.serviceZips,
        compliance: mine.compliance,
        responseMapping: mine.responseMapping,
        overnightDays: [],
      },
    },
  });
  expect(refused.status()).toBe(400);
  expect(JSON.stringify(await refused.json())).toContain("ends the next morning");

  // Ticked, it is taken.
  await overnight.check();
  await terms.getByRole("button", { name: "Save terms" }).click();
  await expect(terms.getByRole("status")).toContainText("Your terms are saved.");
  await expect(terms.getByRole("checkbox", { name: "Monday past midnight" })).toBeChecked();
  await noSidewaysScroll(page);

  // Terms the admin locks are still shown, read-only: the hours as text, the minimum bid unchangeable.
  const admin = await request.newContext({ baseURL: new URL(page.url()).origin });
  await trpcCall(admin, "POST", "auth.login", { email: "admin@leadflow.test", password: DEMO_PASSWORD });
  const lockedBefore = (mine.lockedFields as string[] | undefined) ?? [];
  try {
    await trpcCall(admin, "POST", "buyers.setLockedFields", {
      id: mine.id,
      fields: [...new Set([...lockedBefore, "hours", "minBidCents"])],
    });
    await page.reload();
    const locked = page.getByRole("form", { name: /Terms for/ });
    await expect(locked.getByLabel("Minimum bid ($)")).toHaveAttribute("readonly", "");
    await expect(locked.getByLabel("Monday until")).toHaveCount(0);
    await expect(locked.getByRole("region", { name: "Hours you take leads" })).toContainText(
      /Monday: 6:00\sPM – 9:00\sAM \(next day\)/,
    );
    await axeClean(page);
  } finally {
    await trpcCall(admin, "POST", "buyers.setLockedFields", { id: mine.id, fields: lockedBefore });
    await admin.dispose();
  }
});
