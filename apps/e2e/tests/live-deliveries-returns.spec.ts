// Live updates of deliveries and returns across two server processes (issue 18, Live): the admin's
// pages come from the e2e server, the contractor's from a second process on the same database
// (src/serve-peer.ts). A return filed on one side shows on the other's open page, and the admin's
// decision on the contractor's; a webhook delivery that goes through shows as delivered on the
// buyer's lead page and the admin's timeline. No page is reloaded: each counts its loads.
import { expect, request, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { e2eDatabase } from "./db";
import { DEMO_PASSWORD, signIn, trpcCall } from "./helpers";

const CONTRACTOR = "owner@bluffcityroofing.test";
const CONTRACTOR_BUYER = "Bluff City Roofing";
const PHONE = { width: 390, height: 844 };

let admin: APIRequestContext;
let sql: ReturnType<typeof e2eDatabase>;
let peer: ChildProcess | undefined;
let peerUrl: string;
let pausedNetworks: string[] = [];

const trpc = <T>(method: "GET" | "POST", path: string, input?: unknown) => trpcCall<T>(admin, method, path, input);

type Outcome = {
  id: string;
  status: string;
  outcome: { transactions: { buyer: string; isWinner: boolean; priceCents: number | null }[] };
};

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** The second server process; ready once it answers /healthz. */
async function startPeer(): Promise<void> {
  const port = await freePort();
  const dir = fileURLToPath(new URL("..", import.meta.url));
  peer = spawn(fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url)), ["src/serve-peer.ts"], {
    cwd: dir,
    env: { ...process.env, PEER_PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  peerUrl = `http://127.0.0.1:${port}`;
  await expect
    .poll(
      async () => {
        if (peer?.exitCode != null) throw new Error(`the peer server exited with ${peer.exitCode}`);
        return fetch(`${peerUrl}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 120_000, intervals: [500] },
    )
    .toBe(200);
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(180_000);
  admin = await request.newContext({ baseURL: baseURL! });
  await trpc("POST", "auth.login", { email: "admin@leadflow.test", password: DEMO_PASSWORD });
  sql = e2eDatabase();
  await expect(async () => {
    const rows = await sql`select count(*)::int as n from buyers where name = ${CONTRACTOR_BUYER}`;
    expect(rows[0]!.n).toBe(1);
  }).toPass({ timeout: 60_000 });
  // No buyer simulator here: the networks are paused so the contractor gets the leads directly.
  pausedNetworks = (await sql`update buyers set active = false where type = 'NETWORK' and active returning id`).map(
    (r) => r.id as string,
  );
  await startPeer();
});

test.afterAll(async () => {
  if (peer && peer.exitCode == null) {
    const exited = new Promise((r) => peer!.once("exit", r));
    peer.kill("SIGTERM");
    await exited;
  }
  if (sql) {
    if (pausedNetworks.length) await sql`update buyers set active = true where id in ${sql(pausedNetworks)}`;
    await sql.end({ timeout: 5 });
  }
  await admin?.dispose();
});

test.setTimeout(120_000);

/** A roofing lead in Memphis 38104, sold to Bluff City before the call answers. */
async function soldLead(n: string, lastName: string): Promise<Outcome> {
  const lead = await trpc<Outcome>("POST", "leads.submit", {
    vertical: "roofing",
    zip: "38104",
    contact: { firstName: "Lee", lastName, phone: `901-272-${n.slice(-4)}`, email: `lee.${n}@example.test` },
    wait: true,
  });
  const sale = lead.outcome.transactions.find((t) => t.buyer === CONTRACTOR_BUYER && t.isWinner);
  expect(sale, `${CONTRACTOR_BUYER} should have bought the Memphis lead`).toBeTruthy();
  return lead;
}

/** The contractor, signed in through the second server process, in a context of its own. */
async function contractorOnPeer(browser: Browser, info: { project: { name: string; use: object } }) {
  const context = await browser.newContext({ ...info.project.use, baseURL: peerUrl });
  const page = await context.newPage();
  if (info.project.name === "phone") await page.setViewportSize(PHONE);
  await signIn(page, CONTRACTOR);
  return { context, page };
}

/** Counts full page loads from now on: a reload would prove nothing. */
function countLoads(page: Page) {
  const seen = { loads: 0 };
  page.on("load", () => seen.loads++);
  return seen;
}

test("a return shows on the other party's open page, and the decision on the buyer's, without a reload", async ({
  browser,
  page,
}, info) => {
  if (info.project.name === "phone") await page.setViewportSize(PHONE);
  type Terms = { buyers: { id: string; name: string; returnWindowDays: number; returnCapPercent: number }[] };
  const bluff = (await trpc<Terms>("GET", "returns.settings")).buyers.find((b) => b.name === CONTRACTOR_BUYER)!;
  // An allowance of 0%: the request waits for an admin instead of being approved by rule.
  await trpc("POST", "returns.setBuyerTerms", {
    buyerId: bluff.id,
    returnWindowDays: bluff.returnWindowDays,
    returnCapPercent: 0,
  });
  const { context, page: buyerPage } = await contractorOnPeer(browser, info);
  try {
    const n = `${Date.now()}`.slice(-6);
    const lead = await soldLead(n, `Live${n}`);

    await signIn(page, "admin@leadflow.test");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Returns" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Returns" })).toBeVisible();
    await expect(page.getByText("Loading…")).toHaveCount(0);
    const adminLoads = countLoads(page);

    await buyerPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Returns" }).click();
    await expect(buyerPage.getByRole("heading", { level: 1, name: "Returns" })).toBeVisible();
    await expect(buyerPage.getByTestId("returnable-lead").filter({ hasText: `Live${n}` })).toBeVisible();
    const buyerLoads = countLoads(buyerPage);

    // Filed through the API of the second process, as the contractor's own system would.
    const filed = await context.request.post("/trpc/returns.request", {
      data: { leadId: lead.id, reason: "CONSUMER_DENIES", comment: `live ${n}` },
    });
    expect(filed.ok(), await filed.text()).toBe(true);

    const item = page.getByTestId("queue-item").filter({ hasText: `live ${n}` });
    await expect(item).toBeVisible({ timeout: 10_000 });
    const row = buyerPage.getByTestId("return-row").filter({ hasText: `live ${n}` });
    await expect(row.getByText("Waiting for an admin")).toBeVisible({ timeout: 10_000 });
    await expect(buyerPage.getByTestId("returnable-lead").filter({ hasText: `Live${n}` })).toHaveCount(0);

    // The admin decides on the first process; the contractor's page on the second shows it.
    await item.getByLabel("Note to the buyer").fill("Checked with the consumer: credited.");
    await item.getByRole("button", { name: "Approve and credit" }).click();
    await expect(page.getByTestId("queue-item").filter({ hasText: `live ${n}` })).toHaveCount(0);
    await expect(row.getByText("Approved")).toBeVisible({ timeout: 10_000 });
    await expect(row).toContainText("note: Checked with the consumer: credited.");

    expect(adminLoads.loads).toBe(0);
    expect(buyerLoads.loads).toBe(0);
    expect(
      await buyerPage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
  } finally {
    await context.close();
    await trpc("POST", "returns.setBuyerTerms", {
      buyerId: bluff.id,
      returnWindowDays: bluff.returnWindowDays,
      returnCapPercent: bluff.returnCapPercent,
    });
  }
});

test("a webhook delivery going through shows on the buyer's lead page and the admin's timeline without a reload", async ({
  browser,
  page,
}, info) => {
  if (info.project.name === "phone") await page.setViewportSize(PHONE);
  // The contractor's CRM: holds every request until the pages show the delivery under way.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let hits = 0;
  const crm: Server = createServer((req, res) => {
    hits++;
    req.resume();
    void released.then(() => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => crm.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}/leads`;
  const [saved] =
    await sql`select notify_webhook, webhook_url, webhook_secret from buyers where name = ${CONTRACTOR_BUYER}`;
  const secret = `whsec_${Buffer.from(`live-deliveries-${Date.now()}-0123456789`).toString("base64")}`;
  await sql`update buyers set notify_webhook = true, webhook_url = ${hookUrl}, webhook_secret = ${secret} where name = ${CONTRACTOR_BUYER}`;
  const { context, page: buyerPage } = await contractorOnPeer(browser, info);
  try {
    await signIn(page, "admin@leadflow.test");
    const n = `${Date.now()}`.slice(-6);
    const lead = await soldLead(n, `Hook${n}`);

    // The buyer's lead page (second process) and the admin's timeline (first), both open.
    await buyerPage.goto(`/leads/${lead.id}`);
    await expect(buyerPage.getByRole("heading", { level: 1, name: /Lead roofing · 38104/ })).toBeVisible();
    const status = buyerPage
      .getByRole("listitem")
      .filter({ hasText: /^webhook:/i })
      .getByTestId("delivery-status");
    await expect(status).toHaveText(/pending|failed/);
    await page.goto(`/leads/${lead.id}`);
    const adminRow = page.getByTestId("delivery").filter({ hasText: "webhook" });
    await expect(adminRow).toBeVisible();
    await expect(adminRow).not.toContainText("delivered");
    const buyerLoads = countLoads(buyerPage);
    const adminLoads = countLoads(page);

    release();
    await expect(status).toHaveText("delivered", { timeout: 10_000 });
    await expect(adminRow.getByText("delivered")).toBeVisible({ timeout: 10_000 });
    expect(hits).toBeGreaterThan(0);
    expect(buyerLoads.loads).toBe(0);
    expect(adminLoads.loads).toBe(0);
    expect(
      await buyerPage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);
  } finally {
    release();
    await context.close();
    await sql`update buyers set notify_webhook = ${saved!.notify_webhook as boolean}, webhook_url = ${(saved!.webhook_url as string | null) ?? null}, webhook_secret = ${(saved!.webhook_secret as string | null) ?? null} where name = ${CONTRACTOR_BUYER}`;
    crm.close();
  }
});
