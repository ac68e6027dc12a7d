// Admin analytics in a real browser, one test per page. The spec records its own history (its own
// vertical and inactive buyers, so no other spec's auction sees them), rolls it up the way the
// analytics-rollup job does, and then checks every chart's numbers, in its table view and its CSV,
// against queries on the raw rows. Screenshots are attached to the report.
import { resetRollups, rollupAnalytics } from "@leadflow/api";
import { buyers, createDb, orgs, verticals, type DbHandle } from "@leadflow/db";
import { generateHistory, insertHistory, type HistoryBuyer } from "@leadflow/tooling";
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { e2eDatabase } from "./db";
import { signInAt } from "./helpers";

const VERTICAL = "gutters";
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - 29 * DAY).toISOString().slice(0, 10);
const q = `from=${from}&to=${today}&vertical=${VERTICAL}`;

let sql: ReturnType<typeof e2eDatabase>;
let handle: DbHandle;
const lo = `${from}T00:00:00Z`;
const hi = new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString();

test.beforeAll(async () => {
  test.setTimeout(120_000);
  sql = e2eDatabase();
  // The rollup runs through drizzle, on the same database the server uses (see ./db.ts).
  const port = Number(process.env.E2E_PORT ?? 3199);
  const { databaseUrl } = JSON.parse(readFileSync(join(tmpdir(), `leadflow-e2e-${port}.json`), "utf8")) as {
    databaseUrl: string;
  };
  handle = await createDb({ databaseUrl, max: 2 });
  // Both browser projects share one server: the history is written once, in one transaction.
  const [seen] = await sql`select 1 from verticals where key = ${VERTICAL}`;
  if (seen) return;
  await handle.db.transaction(async (tx) => {
    await tx.insert(verticals).values({ key: VERTICAL, name: "Gutters", floorCents: 1000 });
    const [seller] = await tx.insert(orgs).values({ name: "Analytics e2e seller", kind: "seller" }).returning();
    const [org] = await tx.insert(orgs).values({ name: "Analytics e2e buyers", kind: "network" }).returning();
    // Inactive, and in a vertical of their own: no other spec's auction ever asks them.
    const common = { orgId: org!.id, active: false, verticals: [VERTICAL], pingTimeoutMs: 900 };
    const net = (name: string, minBidCents: number): typeof buyers.$inferInsert => ({
      ...common,
      name,
      type: "NETWORK",
      pingUrl: "http://127.0.0.1:9/ping",
      postUrl: "http://127.0.0.1:9/post",
      minBidCents,
    });
    const specs: (typeof buyers.$inferInsert)[] = [
      net("Gutter Net One", 1000),
      net("Gutter Net Two", 1800),
      net("Gutter Net Three", 1200),
      { ...common, name: "Gutter Pros", type: "CONTRACTOR", deliveryMode: "SHARED", maxSharedLeads: 2 },
      { ...common, name: "Gutter Kings", type: "CONTRACTOR", deliveryMode: "EXCLUSIVE" },
    ];
    const made = await tx.insert(buyers).values(specs).returning();
    const hb: HistoryBuyer[] = made.map((b) => ({
      id: b.id,
      type: b.type,
      verticals: b.verticals,
      minBidCents: b.minBidCents,
      pingTimeoutMs: b.pingTimeoutMs,
      deliveryMode: b.deliveryMode,
      maxSharedLeads: b.maxSharedLeads,
      priceCents: 3500,
      methods: ["DASHBOARD", "WEBHOOK"],
    }));
    const history = generateHistory({
      sellerOrgId: seller!.id,
      buyers: hb,
      verticals: [{ key: VERTICAL, floorCents: 1000 }],
      zips: ["38103"],
      from: new Date(Date.now() - 27 * DAY),
      to: new Date(Date.now() - 60_000),
      leads: 400,
      seed: 11,
    });
    await insertHistory(tx, history);
  });
  // History written into closed days: start the rollups over (as an import would) and run the job's work once.
  await resetRollups(handle.db);
  await rollupAnalytics(handle.db, new Date());
});

test.afterAll(async () => {
  await handle?.close();
  await sql?.end({ timeout: 5 });
});

async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

/** Switches a chart to its table and answers the rows' cells, first (the row header) included. */
async function tableOf(page: Page, title: string): Promise<string[][]> {
  const card = page.getByRole("region", { name: title });
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Show table" }).click();
  await expect(card.getByRole("button", { name: "Show chart" })).toHaveAttribute("aria-pressed", "true");
  return cells(card);
}

async function cells(card: Locator): Promise<string[][]> {
  const rows = card.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => (c.textContent ?? "").trim())),
  );
}

/** The chart's CSV download, parsed (its values have no commas or quotes here). */
async function csvOf(page: Page, title: string): Promise<Record<string, string>[]> {
  const link = page.getByRole("region", { name: title }).getByRole("link", { name: /Download CSV/ });
  await expect(link).toHaveAttribute("download", /\.csv$/);
  const href = (await link.getAttribute("href")) ?? "";
  const [head, ...lines] = decodeURIComponent(href.replace(/^data:text\/csv;charset=utf-8,/, ""))
    .trim()
    .split("\n");
  const cols = head!.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i]!, v])));
}

const header = (page: Page, title: string) =>
  page.getByRole("region", { name: title }).locator("thead th").allTextContents();

test("lost reasons over time, by buyer and by vertical match the transactions", async ({ page }, info) => {
  await signInAt(page, "admin@leadflow.test", `/analytics/lost-reasons?${q}`);
  await expect(page.getByRole("heading", { name: "Lost reasons", level: 1 })).toBeVisible();
  await expect(page.getByRole("img", { name: /Lost leads over time/ })).toBeVisible();
  await shot(page, info, "analytics-lost-reasons");

  const byBuyer = await tableOf(page, "Lost leads by buyer");
  const raw =
    await sql`select b.name, count(*)::int as n from transactions t join leads l on l.id = t.lead_id join buyers b on b.id = t.buyer_id
    where l.vertical = ${VERTICAL} and t.lost_reason is not null and t.created_at >= ${lo} and t.created_at < ${hi} group by 1 order by 1`;
  expect(raw.length).toBeGreaterThan(2);
  expect(byBuyer.map((r) => [r[0], Number(r.at(-1))])).toEqual(raw.map((r) => [r.name, r.n]));
  const cols = await header(page, "Lost leads by buyer");
  const [timeouts] =
    await sql`select count(*)::int as n from transactions t join leads l on l.id = t.lead_id where l.vertical = ${VERTICAL} and t.lost_reason = 'TIMEOUT' and t.created_at >= ${lo} and t.created_at < ${hi}`;
  expect(byBuyer.reduce((a, r) => a + Number(r[cols.indexOf("TIMEOUT")] ?? 0), 0)).toBe(timeouts!.n);

  const overTime = await tableOf(page, "Lost leads over time");
  const perDay = await sql`select d, sum(n)::int as n from (
      select to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD') as d, count(*) as n from transactions t join leads l on l.id = t.lead_id
        where l.vertical = ${VERTICAL} and t.lost_reason is not null and t.created_at >= ${lo} and t.created_at < ${hi} group by 1
      union all
      select to_char(received_at at time zone 'UTC', 'YYYY-MM-DD'), count(*) from leads
        where vertical = ${VERTICAL} and unsold_reason = 'CASCADE_EXHAUSTED' and received_at >= ${lo} and received_at < ${hi} group by 1) x group by d order by d`;
  expect(overTime.map((r) => [r[0], Number(r.at(-1))])).toEqual(perDay.map((r) => [r.d, r.n]));

  const byVertical = await csvOf(page, "Lost leads by vertical");
  expect(byVertical.map((r) => [r.Vertical, Number(r.Total)])).toEqual([
    [VERTICAL, perDay.reduce((a, r) => a + (r.n as number), 0)],
  ]);
  await shot(page, info, "analytics-lost-reasons-tables");
});

test("buyers: acceptance, post-reject rate, latency, timeouts and cascade depth match the transactions", async ({
  page,
}, info) => {
  await signInAt(page, "admin@leadflow.test", `/analytics/buyers?${q}`);
  await expect(page.getByRole("heading", { name: "Buyer analytics" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Ping latency/ })).toBeVisible();
  await shot(page, info, "analytics-buyers");

  const raw =
    await sql`select b.name, count(*)::int as asked, count(t.bid_cents)::int as bids, count(*) filter (where t.is_winner)::int as won,
      count(*) filter (where t.kind = 'POST')::int as posts, count(*) filter (where t.kind = 'POST' and not t.is_winner)::int as rejected,
      count(*) filter (where t.ping_outcome = 'TIMEOUT')::int as timeouts, count(t.ping_outcome)::int as pings
    from transactions t join leads l on l.id = t.lead_id join buyers b on b.id = t.buyer_id
    where l.vertical = ${VERTICAL} and t.created_at >= ${lo} and t.created_at < ${hi} group by 1 order by 1`;
  const acc = await tableOf(page, "Acceptance and post-reject rate by buyer");
  // Buyer, Asked, Bids, Acceptance, Won, POSTs, POSTs rejected, Post-reject rate
  expect(acc.map((r) => [r[0], +r[1]!, +r[2]!, +r[4]!, +r[5]!, +r[6]!])).toEqual(
    raw.map((r) => [r.name, r.asked, r.bids, r.won, r.posts, r.rejected]),
  );
  const first = raw.find((r) => (r.asked as number) > 0)!;
  expect(acc.find((r) => r[0] === first.name)![3]).toBe(
    `${((100 * (first.bids as number)) / (first.asked as number)).toFixed(1)}%`,
  );

  const to = await tableOf(page, "Timeouts by buyer");
  const pinged = raw.filter((r) => (r.pings as number) > 0);
  expect(to.map((r) => [r[0], +r[1]!, +r[2]!])).toEqual(pinged.map((r) => [r.name, r.pings, r.timeouts]));

  const lat = await csvOf(page, "Ping latency");
  const [l] =
    await sql`select count(t.latency_ms)::int as n, count(*) filter (where t.latency_ms < 100)::int as fast from transactions t join leads l on l.id = t.lead_id
    where l.vertical = ${VERTICAL} and t.created_at >= ${lo} and t.created_at < ${hi}`;
  expect(lat.reduce((a, r) => a + Number(r.Pings), 0)).toBe(l!.n);
  expect(Number(lat[0]!.Pings)).toBe(l!.fast);

  const casc = await tableOf(page, "Cascade depth");
  const pos =
    await sql`select least(t.cascade_position, 6) as p, count(*) filter (where t.is_winner)::int as won, count(*) filter (where not t.is_winner)::int as lost
    from transactions t join leads l on l.id = t.lead_id where l.vertical = ${VERTICAL} and t.kind = 'POST' and t.created_at >= ${lo} and t.created_at < ${hi} group by 1 order by 1`;
  for (const p of pos) expect(casc[(p.p as number) - 1]!.slice(1).map(Number)).toEqual([p.won, p.lost]);
  await shot(page, info, "analytics-buyers-tables");
});

test("revenue, revenue per lead and contractor deliveries match the leads and deliveries", async ({ page }, info) => {
  await signInAt(page, "admin@leadflow.test", `/analytics/revenue?${q}`);
  await expect(page.getByRole("heading", { name: "Revenue and deliveries" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Revenue per day/ })).toBeVisible();
  await shot(page, info, "analytics-revenue");

  const [tot] =
    await sql`select count(*)::int as leads, count(*) filter (where status = 'SOLD')::int as sold, sum(revenue_cents)::bigint as rev
    from leads where vertical = ${VERTICAL} and received_at >= ${lo} and received_at < ${hi}`;
  const v = await csvOf(page, "Revenue by vertical");
  expect(v).toEqual([
    {
      Vertical: VERTICAL,
      Leads: String(tot!.leads),
      Sold: String(tot!.sold),
      "Revenue ($)": String(Number(tot!.rev) / 100),
      "Revenue per lead ($)": String(Math.round(Number(tot!.rev) / tot!.leads) / 100),
    },
  ]);
  const days = await csvOf(page, "Revenue per day");
  const perDay =
    await sql`select to_char(received_at at time zone 'UTC', 'YYYY-MM-DD') as d, sum(revenue_cents)::bigint as rev from leads
    where vertical = ${VERTICAL} and received_at >= ${lo} and received_at < ${hi} group by 1 order by 1`;
  expect(days.map((r) => [r.Day, Number(r["Revenue ($)"])])).toEqual(perDay.map((r) => [r.d, Number(r.rev) / 100]));
  await expect(
    page.getByText(`from ${tot!.leads.toLocaleString("en-US")} leads (${tot!.sold.toLocaleString("en-US")} sold)`),
  ).toBeVisible();

  const del = await tableOf(page, "Contractor deliveries by method and mode");
  const rawDel =
    await sql`select d.method || ' · ' || coalesce((select e.data->>'mode' from lead_events e where e.lead_id = d.lead_id and e.buyer_id = d.buyer_id and e.kind = 'direct_claim' order by e.id desc limit 1), b.delivery_mode::text) as k,
      count(*) filter (where d.status = 'delivered')::int as delivered, count(*) filter (where d.status = 'dead')::int as dead, count(*)::int as total
    from deliveries d join leads l on l.id = d.lead_id join buyers b on b.id = d.buyer_id
    where l.vertical = ${VERTICAL} and d.created_at >= ${lo} and d.created_at < ${hi} group by 1 order by 1`;
  expect(rawDel.length).toBeGreaterThan(0);
  // Method · mode, Delivered, Pending, Failed, Dead, Total
  const byKey = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
  expect(del.map((r) => [r[0], +r[1]!, +r[4]!, +r[5]!]).sort(byKey)).toEqual(
    rawDel.map((r) => [r.k, r.delivered, r.dead, r.total]).sort(byKey),
  );
  await shot(page, info, "analytics-revenue-tables");
});

test("marketplace funnel, targets and supply by city match the marketplace rows; bad filters say what to do", async ({
  page,
}, info) => {
  await signInAt(page, "admin@leadflow.test", `/analytics/marketplace?from=${from}&to=${today}`);
  await expect(page.getByRole("heading", { name: "Marketplace analytics" })).toBeVisible();
  await expect(page.getByLabel("Vertical")).toBeDisabled();
  await expect(
    page.getByRole("region", { name: "Success metrics against their targets" }).locator("tbody tr"),
  ).toHaveCount(5);
  await shot(page, info, "analytics-marketplace");

  const funnel = await csvOf(page, "Marketplace funnel");
  const [m] =
    await sql`select count(*)::int as n, count(*) filter (where accepted_at is not null)::int as accepted from market_leads where created_at >= ${lo} and created_at < ${hi}`;
  const step = (s: string) => Number(funnel.find((r) => r.Step === s)?.Count);
  expect(step("Inquiries")).toBe(m!.n);
  expect(step("Accepted by a DJ")).toBe(m!.accepted);
  const supply = await tableOf(page, "Supply and demand by city");
  const djs =
    await sql`select city, count(*)::int as n from djs where is_active and not is_suspended group by 1 order by 1`;
  expect(djs.length).toBeGreaterThan(0);
  for (const d of djs) expect(Number(supply.find((r) => r[0] === d.city)?.[2])).toBe(d.n);
  const metrics = await cells(page.getByRole("region", { name: "Success metrics against their targets" }));
  expect(metrics.map((r) => r[2])).toEqual(["> 60%", "< 4 h", "> 25%", "1.0–2.0", "> 15%"]);

  // A range the other way round is refused with a message that says what to change.
  await page.goto(`/analytics/marketplace?from=${today}&to=${from}`);
  await expect(page.getByRole("alert")).toHaveText("The first day must not be after the last day.");
  await shot(page, info, "analytics-bad-range");
});

test("analytics are for admins: a network buyer cannot open them", async ({ page }) => {
  await signInAt(page, "buyer@homequote.test", `/analytics/lost-reasons?${q}`);
  await expect(page.getByRole("heading", { name: "Lost reasons", level: 1 })).toHaveCount(0);
  const res = await page.request.get(
    `/trpc/analytics.lostReasons?input=${encodeURIComponent(JSON.stringify({ from, to: today }))}`,
  );
  expect(res.status()).toBe(403);
});
