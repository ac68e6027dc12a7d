// A contractor changes its delivery settings in the dashboard; the server refuses bad ones with
// errors beside the fields, keeps good ones, and the next lead follows them: as a HYBRID buyer it
// pays its max bid for a lead it gets alone, and its reduced shared price once it shares.
import { expect, request, test, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, signIn, trpcCall } from "./helpers";

const CONTRACTOR = "owner@bluffcityroofing.test";
let admin: APIRequestContext;

const trpc = <T>(method: "GET" | "POST", path: string, input?: unknown) => trpcCall<T>(admin, method, path, input);

type Buyer = { id: string; name: string; type: string; active: boolean };
type Outcome = {
  status: string;
  outcome: {
    transactions: { buyer: string; isWinner: boolean; priceCents: number | null; lostReason: string | null }[];
  };
};

/** A roofing lead in Memphis 38104 (Bluff City serves it at priority 1), sold before it answers. */
async function submitLead(): Promise<Outcome> {
  const n = `${Date.now()}${Math.floor(Math.random() * 1000)}`.slice(-7);
  return trpc<Outcome>("POST", "leads.submit", {
    vertical: "roofing",
    zip: "38104",
    contact: { firstName: "Pat", lastName: `Test${n}`, phone: `901555${n.slice(-4)}`, email: `pat.${n}@example.test` },
    wait: true,
  });
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(90_000);
  admin = await request.newContext({ baseURL: baseURL! });
  await trpc("POST", "auth.login", { email: "admin@leadflow.test", password: DEMO_PASSWORD });
  // The buyer simulator is not running here: pause the networks so contractors get the leads
  // directly, whatever happens to listen on the simulator's port.
  // serve.ts answers /healthz before the demo seed has finished: wait for the last seeded buyer.
  let buyers: Buyer[] = [];
  for (let i = 0; i < 120 && !buyers.some((b) => b.name === "MidSouth Comfort HVAC"); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 500));
    buyers = await trpc<Buyer[]>("GET", "buyers.list");
  }
  for (const b of buyers.filter((x) => x.type === "NETWORK" && x.active))
    await trpc("POST", "buyers.setActive", { id: b.id, active: false });
});
test.afterAll(async () => admin?.dispose());

async function openSettings(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Delivery settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Delivery settings" })).toBeVisible();
}

async function save(page: Page) {
  await page.getByRole("button", { name: "Save settings" }).click();
}

test.setTimeout(90_000);

test("a contractor's delivery settings are validated, kept, and followed by the next lead", async ({ page }) => {
  await signIn(page, CONTRACTOR);
  await openSettings(page);

  // Phone-friendly: nothing wider than the screen.
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0);

  // Bad settings: refused with the reason beside each field, nothing kept.
  await page.getByRole("radio", { name: /Hybrid/ }).check();
  await page.getByLabel("Max bid per lead ($)").fill("45");
  await page.getByLabel("Shared lead price ($)").fill("45");
  await page.getByLabel("Add zip codes").fill("3810");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await save(page);
  await expect(page.getByText("The shared price must be lower than your max bid.")).toBeVisible();
  await expect(page.getByText("must be 5 digits")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Some settings need attention." })).toBeVisible();
  await page.getByRole("button", { name: "Remove zip 3810", exact: true }).click();

  // Good settings: exclusive, hybrid ($45 alone, $20 shared), any time of day.
  await page.getByRole("radio", { name: /Exclusive/ }).check();
  await page.getByLabel("Shared lead price ($)").fill("20");
  await page.getByRole("checkbox", { name: /Any time/ }).check();
  await save(page);
  await expect(page.getByText("Saved. The next lead follows these settings.")).toBeVisible();

  let lead = await submitLead();
  let mine = lead.outcome.transactions.find((t) => t.buyer === "Bluff City Roofing");
  expect(lead.status).toBe("SOLD");
  expect(mine).toMatchObject({ isWinner: true, priceCents: 4500 });

  // Now shared: the same contractor pays its shared price for the next lead.
  await page.reload();
  await expect(page.getByRole("radio", { name: /Exclusive/ })).toBeChecked();
  await page.getByRole("radio", { name: /Shared/ }).check();
  await page.getByLabel("Most buyers per shared lead").fill("2");
  await save(page);
  await expect(page.getByText("Saved. The next lead follows these settings.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("radio", { name: /Shared/ })).toBeChecked();
  await expect(page.getByLabel("Most buyers per shared lead")).toHaveValue("2");

  lead = await submitLead();
  mine = lead.outcome.transactions.find((t) => t.buyer === "Bluff City Roofing");
  expect(mine).toMatchObject({ isWinner: true, priceCents: 2000 });

  // The contractor sees it on its home, and the lead page shows the step.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(page.getByTestId("current-mode")).toContainText("Shared leads (up to 2 buyers)");
  const row = page.getByRole("row").filter({ hasText: "$20.00" }).first();
  await expect(row).toContainText("Won");
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: /Lead roofing · 38104/ })).toBeVisible();
  await expect(page.getByText("Sold", { exact: true })).toBeVisible();

  // Put the demo back as it was for the next project run (exclusive).
  await openSettings(page);
  await page.getByRole("radio", { name: /Exclusive/ }).check();
  await save(page);
  await expect(page.getByText("Saved. The next lead follows these settings.")).toBeVisible();
});

test("an admin manages buyers: a bad import file is refused with its lines, the chart and the lead page show", async ({
  page,
}) => {
  const lead = await submitLead();
  const id = (lead as unknown as { id: string }).id;
  await signIn(page, "admin@leadflow.test");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Buyers" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Bluff City Roofing" }).first()).toBeVisible();

  // A new network buyer through the editor: refused without its URLs, then created (paused).
  await page.getByRole("button", { name: "New buyer" }).click();
  const editor = page.getByRole("form", { name: "New buyer" });
  await editor.getByRole("radio", { name: /Network/ }).check();
  await editor.getByLabel("Organisation").selectOption({ label: "HomeQuote Network" });
  await editor.getByLabel("Name").fill("E2E Test Network");
  await editor.getByRole("checkbox", { name: /Active/ }).uncheck();
  await editor.getByRole("checkbox", { name: /Roofing/ }).check();
  await editor.getByRole("button", { name: "Create buyer" }).click();
  await expect(editor.getByText("The ping URL is required.")).toBeVisible();
  await editor.getByLabel("Ping URL").fill("http://127.0.0.1:4100/networks/e2e/ping");
  await editor.getByLabel("Post URL").fill("http://127.0.0.1:4100/networks/e2e/post");
  await editor.getByRole("button", { name: "Create buyer" }).click();
  await expect(editor).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: "E2E Test Network" }).first()).toContainText("paused");

  await page.getByRole("link", { name: "Import / export" }).click();
  const bad = [
    "{",
    '  "format": "leadflow.buyers",',
    '  "version": 1,',
    '  "verticals": [],',
    '  "buyers": [',
    '    { "key": "x/y", "org": "Nobody", "type": "CONTRACTOR",',
    '      "serviceZips": [{ "zip": "123", "priority": 1 }] }',
    "  ]",
    "}",
  ].join("\n");
  await page
    .getByLabel("JSON file")
    .setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("The file was not imported (nothing was changed)")).toBeVisible();
  await expect(page.getByText("line 7, buyers[0].serviceZips[0].zip: must be 5 digits")).toBeVisible();

  // The lost-reason charts live under Analytics now (apps/e2e/tests/analytics.spec.ts checks their numbers).
  await nav.getByRole("link", { name: "Analytics" }).click();
  await expect(page.getByRole("heading", { name: "Lost reasons", level: 1 })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("img", { name: /Lost leads over time/ })).toBeVisible();

  // The admin's lead page is the timeline (apps/e2e/tests/insight.spec.ts checks it entry by entry).
  await page.goto(`/leads/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: /Lead roofing · 38104/ })).toBeVisible();
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByTestId("entry-intake")).toHaveCount(1);
  await expect(timeline.getByText("Bluff City Roofing").first()).toBeVisible();
});
