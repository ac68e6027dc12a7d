// A contractor returns a lead it bought, in the dashboard, and sees the credit: the lead has a
// phone number that fails validation (the fictional 555-01xx range), so the platform approves the
// return at once and credits the price paid. Then a request past the contractor's allowance waits
// in the admin's queue, and the admin approves it with a note.
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, signIn, trpcCall } from "./helpers";

const CONTRACTOR = "owner@bluffcityroofing.test";
let admin: APIRequestContext;

const trpc = <T>(method: "GET" | "POST", path: string, input?: unknown) => trpcCall<T>(admin, method, path, input);

type Buyer = { id: string; name: string; type: string; active: boolean };
type Outcome = {
  id: string;
  status: string;
  outcome: { transactions: { buyer: string; isWinner: boolean; priceCents: number | null }[] };
};

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(90_000);
  admin = await request.newContext({ baseURL: baseURL! });
  await trpc("POST", "auth.login", { email: "admin@leadflow.test", password: DEMO_PASSWORD });
  let buyers: Buyer[] = [];
  for (let i = 0; i < 120 && !buyers.some((b) => b.name === "MidSouth Comfort HVAC"); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 500));
    buyers = await trpc<Buyer[]>("GET", "buyers.list");
  }
  // No buyer simulator here: pause the networks so the contractors get the lead directly.
  for (const b of buyers.filter((x) => x.type === "NETWORK" && x.active))
    await trpc("POST", "buyers.setActive", { id: b.id, active: false });
});
test.afterAll(async () => admin?.dispose());

const dollars = (text: string) => Number((/\$([\d,]+\.\d\d)/.exec(text)?.[1] ?? "NaN").replace(/,/g, ""));

test.setTimeout(90_000);

test("a contractor returns a lead with a bad phone number and sees the credit", async ({ page }) => {
  const n = `${Date.now()}`.slice(-6);
  const lastName = `Return${n}`;
  const lead = await trpc<Outcome>("POST", "leads.submit", {
    vertical: "roofing",
    zip: "38104",
    contact: { firstName: "Pat", lastName, phone: `901-555-01${n.slice(-2)}`, email: `pat.return.${n}@example.test` },
    wait: true,
  });
  const sale = lead.outcome.transactions.find((t) => t.buyer === "Bluff City Roofing" && t.isWinner);
  expect(sale, "Bluff City Roofing should have bought the Memphis lead").toBeTruthy();
  const paid = sale!.priceCents! / 100;

  await signIn(page, CONTRACTOR);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Returns" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Returns" })).toBeVisible();
  const balance = page.getByTestId("credit-balance");
  await expect(balance).toContainText("returned lead");
  const before = dollars(await balance.innerText());

  const card = page.getByTestId("returnable-lead").filter({ hasText: lastName });
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Return this lead" }).click();
  const form = card.getByRole("form", { name: "Return this lead" });
  await form.getByLabel("Why are you returning it?").selectOption({ label: "Invalid phone number" });
  await form.getByLabel(/Comment/).fill("The number is not in service.");
  await form.getByRole("button", { name: "Send return request" }).click();

  await expect(page.getByTestId("return-result")).toHaveText(`Return approved: $${paid.toFixed(2)} credited to you.`);
  await expect(balance).toContainText(`$${(before + paid).toFixed(2)}`);
  await expect(page.getByTestId("returnable-lead").filter({ hasText: lastName })).toHaveCount(0);
  const row = page
    .getByTestId("return-row")
    .filter({ hasText: "Invalid phone number — “The number is not in service.”" })
    .first();
  await expect(row).toContainText("Approved");
  await expect(row).toContainText(`$${paid.toFixed(2)}`);

  // Phone-friendly: nothing wider than the screen.
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0);
  await test.info().attach("buyer returns page", {
    body: await page.screenshot({ fullPage: true, path: test.info().outputPath("buyer-returns.png") }),
    contentType: "image/png",
  });

  // The lead's timeline shows every step of the return, in words (requested, the rule, decided, credited).
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: /Lead roofing · 38104/ })).toBeVisible();
  const entries = page.locator(".timeline").getByRole("listitem");
  for (const step of [
    /return requested: ?Invalid phone number/,
    /return rule/,
    /return ?approved ?by rule/,
    /return credited: \$/,
  ]) {
    await expect(entries.filter({ hasText: step })).toHaveCount(1);
  }
});

test("a return past the allowance waits in the admin queue; the admin approves it with a note and the credit shows", async ({
  page,
  baseURL,
}) => {
  type Terms = { buyers: { id: string; name: string; returnWindowDays: number; returnCapPercent: number }[] };
  const bluff = (await trpc<Terms>("GET", "returns.settings")).buyers.find((b) => b.name === "Bluff City Roofing")!;
  // An allowance of 0%: every request with a reason the platform cannot check goes to an admin.
  await trpc("POST", "returns.setBuyerTerms", {
    buyerId: bluff.id,
    returnWindowDays: bluff.returnWindowDays,
    returnCapPercent: 0,
  });
  const contractor = await request.newContext({ baseURL: baseURL! });
  try {
    const n = `${Date.now()}`.slice(-6);
    const lead = await trpc<Outcome>("POST", "leads.submit", {
      vertical: "roofing",
      zip: "38104",
      contact: {
        firstName: "Quinn",
        lastName: `Queue${n}`,
        phone: `901-272-${n.slice(-4)}`,
        email: `quinn.${n}@example.test`,
      },
      wait: true,
    });
    const sale = lead.outcome.transactions.find((t) => t.buyer === "Bluff City Roofing" && t.isWinner);
    expect(sale, "Bluff City Roofing should have bought the Memphis lead").toBeTruthy();
    await contractor.post("/trpc/auth.login", { data: { email: CONTRACTOR, password: DEMO_PASSWORD } });
    const asked = await contractor.post("/trpc/returns.request", {
      data: { leadId: lead.id, reason: "CONSUMER_DENIES", comment: `queue ${n}` },
    });
    expect(((await asked.json()) as { result: { data: { status: string } } }).result.data.status).toBe("PENDING");

    await signIn(page, "admin@leadflow.test");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Returns" }).click();
    const item = page.getByTestId("queue-item").filter({ hasText: `queue ${n}` });
    await expect(item).toContainText("Consumer denies making the request");
    // Deciding needs a note the buyer will read.
    await item.getByRole("button", { name: "Approve and credit" }).click();
    await expect(item.getByText("Write a short note the buyer will see.")).toBeVisible();
    await item.getByLabel("Note to the buyer").fill("Called the consumer: they never asked for a roofer.");
    await item.getByRole("button", { name: "Approve and credit" }).click();
    await expect(page.getByTestId("queue-item").filter({ hasText: `queue ${n}` })).toHaveCount(0);
    const row = page.getByTestId("return-row").filter({ hasText: `queue ${n}` });
    await expect(row).toContainText("Approved");
    await expect(row).toContainText("note: Called the consumer: they never asked for a roofer.");
    await expect(row).toContainText(`$${(sale!.priceCents! / 100).toFixed(2)}`);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
    await test.info().attach("admin returns page", {
      body: await page.screenshot({ fullPage: true, path: test.info().outputPath("admin-returns.png") }),
      contentType: "image/png",
    });
  } finally {
    await contractor.dispose();
    await trpc("POST", "returns.setBuyerTerms", {
      buyerId: bluff.id,
      returnWindowDays: bluff.returnWindowDays,
      returnCapPercent: bluff.returnCapPercent,
    });
  }
});
