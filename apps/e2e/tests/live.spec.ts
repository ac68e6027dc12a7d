// Live updates: an admin has the lead timelines open; a seller's system posts a lead through the
// REST API, and the lead shows up in the list without a reload (GET /api/live tells the page to
// refetch, docs/architecture.md "Live updates").
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, signIn, trpcCall } from "./helpers";

let seller: APIRequestContext;
let sellerKey: string;

test.beforeAll(async ({ baseURL }, info) => {
  seller = await request.newContext({ baseURL: baseURL! });
  await trpcCall(seller, "POST", "auth.login", { email: "seller@brightpath.test", password: DEMO_PASSWORD });
  // Both projects share one server: each makes a key of its own.
  const made = await trpcCall<{ key: string }>(seller, "POST", "apiKeys.create", {
    name: `Live updates (${info.project.name})`,
  });
  sellerKey = made.key;
});
test.afterAll(async () => seller?.dispose());

test("a lead posted through the API appears in the open lead list without a reload", async ({ page }) => {
  await signIn(page, "admin@leadflow.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lead timelines" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Latest auction leads" })).toBeVisible();
  // The page must not be navigated or reloaded from here on: a reload would prove nothing.
  let loads = 0;
  page.on("load", () => loads++);

  const n = `${Date.now()}`.slice(-4);
  const res = await seller.post("/api/v1/leads", {
    headers: { authorization: `Bearer ${sellerKey}` },
    data: {
      vertical: "roofing",
      zip: "38104",
      contact: { firstName: "Liv", lastName: "Update", phone: `901555${n}`, email: `liv.${n}@example.test` },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await expect(page.getByRole("main").locator(`a[href="/leads/${id}"]`)).toBeVisible();
  expect(loads).toBe(0);
});

test("a DJ with the inbox open gets a new offer without a reload (the inbox polls only every 5 minutes)", async ({
  browser,
  page,
}, info) => {
  // A date of this project's own, so the desktop and phone runs (and marketplace.spec) don't compete.
  const days = 200 + info.project.name.length;
  const eventDate = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  await signIn(page, "dj@bealestreet.test");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  let loads = 0;
  page.on("load", () => loads++);

  const customerContext = await browser.newContext({ ...info.project.use });
  const customer = await customerContext.newPage();
  await customer.goto("/inquire?city=Memphis");
  await expect(customer.getByLabel("City")).toHaveValue("Memphis");
  await customer.getByLabel("Your name").fill("Lee Live");
  await customer.getByLabel("Email", { exact: true }).fill(`live.${info.project.name}@example.test`);
  await customer.getByLabel("Event date").fill(eventDate);
  await customer.getByLabel("Budget from ($)").fill("1000");
  await customer.getByLabel("Budget up to ($)").fill("2500");
  await customer.getByRole("checkbox", { name: /I agree that up to five DJs/ }).check();
  await customer.getByLabel("Guests").fill("120");
  await customer.getByRole("button", { name: "Ask DJs for quotes" }).click();
  await expect(customer).toHaveURL(/\/compare\//);
  await customerContext.close();

  const offer = page
    .getByRole("list", { name: "New offers" })
    .getByRole("listitem", { name: `Wedding on ${eventDate}` });
  await expect(offer).toBeVisible();
  expect(loads).toBe(0);
  // Leave the DJ free for the specs after this one.
  await offer.getByRole("button", { name: "Decline" }).click();
  await expect(offer).toBeHidden();
});
