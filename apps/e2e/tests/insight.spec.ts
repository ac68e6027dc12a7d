// Insight in a real browser: an admin reads a lead's timeline, a network sees why it lost a lead
// (without its competitor's name), and a what-if replay. Two networks answer over real HTTP from a
// server on loopback; every number on the pages is checked against the database rows.
import { expect, request, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { e2eDatabase } from "./db";
import { DEMO_PASSWORD, signIn, signInAt, signOut, trpcCall } from "./helpers";

const WINNER = "Apex Home Leads"; // HomeQuote's network: bids $60, rejects leads named Reject…
const LOSER = "FastBid Network"; // RoofMatch's network: bids $55, accepts everything
const BIDS: Record<string, number> = { apex: 60, fastbid: 55 };

let admin: APIRequestContext;
let sql: ReturnType<typeof e2eDatabase>;
let server: Server;
let hits = 0;
const leadIds: { outbid: string; cascade: string } = { outbid: "", cascade: "" };

const trpc = <T>(method: "GET" | "POST", path: string, input?: unknown) => trpcCall<T>(admin, method, path, input);

async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

const usd = (cents: number | string) =>
  (Number(cents) / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(90_000);
  server = createServer((req, res) => {
    hits++;
    const [, kind, name = ""] = (req.url ?? "").split("/");
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (kind === "ping") res.end(JSON.stringify({ bid: BIDS[name] ?? null }));
      else
        res.end(
          JSON.stringify(
            name === "apex" && body.includes("Reject")
              ? { accepted: false, reason: "invalid phone" }
              : { accepted: true },
          ),
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await request.newContext({ baseURL: baseURL! });
  await trpc("POST", "auth.login", { email: "admin@leadflow.test", password: DEMO_PASSWORD });
  sql = e2eDatabase();
  // serve.ts may answer /healthz before the demo seed has finished: wait for our two networks.
  await expect(async () => {
    const rows = await sql`select count(*)::int as n from buyers where name in (${WINNER}, ${LOSER})`;
    expect(rows[0]!.n).toBe(2);
  }).toPass({ timeout: 60_000 });
  // Only our two networks bid, over HTTP to the server above.
  await sql`update buyers set active = (name in (${WINNER}, ${LOSER})) where type = 'NETWORK'`;
  await sql`update buyers set ping_url = ${`${base}/ping/apex`}, post_url = ${`${base}/post/apex`} where name = ${WINNER}`;
  await sql`update buyers set ping_url = ${`${base}/ping/fastbid`}, post_url = ${`${base}/post/fastbid`} where name = ${LOSER}`;
  const n = `${Date.now()}`.slice(-7);
  const submit = (lastName: string, i: number) =>
    trpc<{ id: string; status: string }>("POST", "leads.submit", {
      vertical: "roofing",
      zip: "38104",
      contact: {
        firstName: "Ina",
        lastName,
        phone: `901556${n.slice(-3)}${i}`,
        email: `ina.${lastName.toLowerCase()}@example.test`,
      },
      wait: true,
    });
  leadIds.outbid = (await submit(`Insight${n}`, 1)).id;
  leadIds.cascade = (await submit(`Reject${n}`, 2)).id;
});

test.afterAll(async () => {
  await admin?.dispose();
  await sql?.end({ timeout: 5 });
  server?.close();
});

test.setTimeout(90_000);

test("an admin reads a lead's timeline: verdicts, pings with latency, the cascade and the outcome, as recorded", async ({
  page,
}, info) => {
  const id = leadIds.cascade;
  const [lead] = await sql`select status, revenue_cents from leads where id = ${id}`;
  const kinds = await sql`select kind, count(*)::int as n from lead_events where lead_id = ${id} group by kind`;
  const count = (k: string) => kinds.find((r) => r.kind === k)?.n ?? 0;
  const txs =
    await sql`select b.name, t.latency_ms, t.is_winner, t.cascade_position, t.price_cents from transactions t join buyers b on b.id = t.buyer_id where t.lead_id = ${id}`;
  const fast = txs.find((t) => t.name === LOSER)!;
  expect(lead!.status).toBe("SOLD");
  expect(fast).toMatchObject({ is_winner: true, cascade_position: 2, price_cents: 5500 });

  await signIn(page, "admin@leadflow.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lead timelines" }).click();
  await page.getByLabel("Open a lead by id (auction or DJ lead)").fill("not-an-id");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByRole("alert")).toContainText("Paste a lead id");
  await page.getByLabel("Open a lead by id (auction or DJ lead)").fill(id);
  await page.getByRole("button", { name: "Open" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Lead roofing · 38104" })).toBeVisible();
  await expect(page.getByTestId("lead-status")).toHaveText("Sold");
  await expect(page.getByTestId("lead-revenue")).toHaveText(usd(lead!.revenue_cents));
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByTestId("entry-intake")).toHaveCount(1);
  await expect(timeline.getByTestId("entry-eligibility")).toHaveCount(count("eligibility"));
  expect(count("eligibility")).toBeGreaterThan(2); // every active roofing buyer got a verdict
  await expect(timeline.getByTestId("entry-ping")).toHaveCount(count("ping"));
  const fastPing = timeline.getByTestId("entry-ping").filter({ hasText: LOSER });
  await expect(fastPing.getByTestId("ping-latency")).toHaveText(`${fast.latency_ms.toLocaleString("en-US")} ms`);
  await expect(fastPing).toContainText("bid $55.00");
  const steps = timeline.getByTestId("entry-cascade_step");
  await expect(steps).toHaveCount(count("cascade_step"));
  await expect(steps.filter({ hasText: WINNER })).toContainText("POST #1 at $60.00: rejected");
  await expect(steps.filter({ hasText: LOSER })).toContainText("POST #2 at $55.00: accepted");
  await expect(timeline.getByTestId("entry-outcome")).toContainText(
    `SOLD via auction · revenue ${usd(lead!.revenue_cents)}`,
  );
  await expect(page.getByTestId("buyer-result")).toHaveCount(txs.length);
  await shot(page, info, "timeline");
});

test("a network sees why it lost a lead and what the winner paid, never who won", async ({ page }, info) => {
  const rows =
    await sql`select t.lead_id, t.is_winner, t.lost_reason, t.winning_bid_amount_cents, t.price_cents from transactions t join buyers b on b.id = t.buyer_id
    where b.name = ${LOSER} and t.lead_id in (${leadIds.outbid}, ${leadIds.cascade})`;
  const lost = rows.find((r) => r.lead_id === leadIds.outbid)!;
  const won = rows.find((r) => r.lead_id === leadIds.cascade)!;
  expect(lost).toMatchObject({ is_winner: false, lost_reason: "OUTBID", winning_bid_amount_cents: 6000 });

  await signIn(page, "buyer@roofmatch.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Why not" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Why didn't I get this lead?" })).toBeVisible();
  const lostRow = page.locator(`[data-testid="why-row"][data-lead="${leadIds.outbid}"]`);
  await expect(lostRow.getByTestId("why-outcome")).toHaveText("Lost");
  await expect(lostRow.getByTestId("why-reason")).toHaveText("Another buyer bid more");
  await expect(lostRow.getByTestId("why-winning-bid")).toHaveText(usd(lost.winning_bid_amount_cents));
  const wonRow = page.locator(`[data-testid="why-row"][data-lead="${leadIds.cascade}"]`);
  await expect(wonRow.getByTestId("why-outcome")).toHaveText(`Won, paid ${usd(won.price_cents)}`);
  // The competitor that outbid it is nowhere on the page.
  await expect(page.getByText(WINNER)).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText("HomeQuote");
  await shot(page, info, "why-not");
});

test("a what-if replay: a higher bid wins every lead, priced and counted as the database says, and writes nothing", async ({
  page,
}, info) => {
  // What a replay could write if it were not read-only. The server's delivery worker keeps
  // retrying earlier specs' webhooks in the background (a "delivery" event, and the transaction's
  // delivery method once one lands); those writes are not the replay's, so they are left out.
  const snapshot = async () =>
    (
      await sql`select (select count(*) from transactions)::int as t, (select count(*) from lead_events where kind <> 'delivery')::int as e,
      (select count(*) from leads)::int as l,
      (select md5(string_agg(concat_ws(',', t.id, t.lead_id, t.buyer_id, t.kind, t.ping_outcome, t.bid_cents, t.is_winner, t.lost_reason,
        t.price_cents, t.cascade_position, t.created_at), '|' order by t.id)) from transactions t) as sum`
    )[0];
  await signIn(page, "buyer@roofmatch.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "What-if replay" }).click();
  await expect(page.getByLabel("Buyer", { exact: true })).toHaveValue(/.+/);
  await page.getByLabel("Buyer", { exact: true }).selectOption({ label: LOSER });
  await page.getByLabel("Days to replay").fill("0");
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("Replay between 1 and 90 days.")).toBeVisible();

  await page.getByLabel("Days to replay").fill("1");
  await page.getByLabel("Your bid ($)").fill("65");
  const before = await snapshot();
  const hitsBefore = hits;
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByTestId("replay-whatif")).toBeVisible({ timeout: 30_000 });

  const [expected] = await sql`select count(*)::int as leads,
      count(*) filter (where exists (select 1 from transactions t join buyers b on b.id = t.buyer_id where t.lead_id = l.id and b.name = ${LOSER} and t.is_winner))::int as won,
      coalesce(sum((select t.price_cents from transactions t join buyers b on b.id = t.buyer_id where t.lead_id = l.id and b.name = ${LOSER} and t.is_winner)), 0)::int as spent
    from leads l where l.vertical = 'roofing' and l.status in ('SOLD', 'UNSOLD') and l.received_at >= now() - interval '1 day'`;
  await expect(page.getByRole("heading", { name: new RegExp(`^Replayed ${expected!.leads} leads`) })).toBeVisible();
  await expect(page.getByTestId("replay-recorded")).toContainText(`${expected!.won}${usd(expected!.spent)}`);
  // $65 beats Apex's $60, and FastBid accepts everything: every lead it wins costs $65, and it
  // keeps every lead it had (other specs' leads in the window may hold bids of their own).
  const whatIf = page.getByTestId("replay-whatif").getByRole("cell");
  const won = Number(await whatIf.first().innerText());
  expect(won).toBeGreaterThanOrEqual(Math.max(2, expected!.won));
  await expect(whatIf.nth(1)).toHaveText(usd(won * 6500));
  await expect(page.getByTestId("replay-summary")).toContainText(`${won - expected!.won} more won, 0 no longer won`);
  for (const id of [leadIds.outbid, leadIds.cascade]) {
    await expect(page.getByTestId("replay-row").filter({ has: page.locator(`a[href="/leads/${id}"]`) })).toContainText(
      "Won at $65.00",
    );
  }
  await expect(page.getByTestId("replay-row")).toHaveCount(Math.min(expected!.leads, 200));
  expect(await snapshot()).toEqual(before);
  expect(hits).toBe(hitsBefore);
  await shot(page, info, "replay");
});

test("a DJ lead: a Memphis DJ sees what happened to it, and the admin's timeline shows the score, verdicts and phases the database holds", async ({
  page,
}, info) => {
  // A date of its own per project and run, so no earlier offer holds the DJs' calendars.
  const days = 150 + Math.floor(Math.random() * 400);
  const eventDate = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const email = `insight.dj.${info.project.name}.${Date.now()}@example.test`;
  const anon = await request.newContext({ baseURL: info.project.use.baseURL ?? undefined });
  const res = await anon.post("/trpc/marketPublic.inquire", {
    data: {
      name: "Riley Insight",
      email,
      city: "Memphis",
      eventType: "wedding",
      eventDate,
      budgetMinDollars: 1000,
      budgetMaxDollars: 2000,
      guestCount: 120,
    },
  });
  expect(res.ok()).toBe(true);
  await anon.dispose();
  const [lead] =
    await sql`select id, score_total::float as score, score_components from market_leads where contact->>'email' = ${email}`;
  const offers = await sql`select a.dj_id, a.phase from lead_assignments a where a.lead_id = ${lead!.id}`;
  // DJ Beale Street (a demo login): either it was offered the lead, or its stored verdict says why not.
  const [beale] = await sql`select id from djs where name = 'DJ Beale Street'`;
  const offered = offers.find((o) => o.dj_id === beale!.id);
  const [verdict] = await sql`select v from market_lead_events e, jsonb_array_elements(e.data->'verdicts') v
    where e.lead_id = ${lead!.id} and e.kind = 'eligibility' and v->>'djId' = ${beale!.id}`;
  expect(verdict, "DJ Beale Street's verdict is stored").toBeTruthy();

  await signIn(page, "dj@bealestreet.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Offer outcomes" }).click();
  if (offered) {
    const card = page.locator(`[data-testid="dj-offer"][data-lead="${lead!.id}"]`);
    await expect(card.getByTestId("dj-outcome")).toHaveText("Waiting for your answer");
    await expect(card).toContainText(`in the ${String(offered.phase).replace(/_/g, " ")} phase`);
    await expect(card).toContainText(`wedding in Memphis on ${eventDate}`);
  } else {
    const card = page.locator(`[data-testid="dj-not-offered"][data-lead="${lead!.id}"]`);
    const v = verdict!.v as { eligible: boolean; failures: { detail: string }[] };
    await expect(card).toContainText(
      v.eligible
        ? "You were eligible; DJs ranked above you were offered it first"
        : `Not eligible: ${v.failures.map((f) => f.detail).join(" ")}`,
    );
  }
  // Which other DJ got the offer is never shown.
  await expect(page.locator("body")).not.toContainText("Overton Grove");
  await shot(page, info, "dj-offers");
  await signOut(page);

  await signInAt(page, "admin@leadflow.test", `/leads/${lead!.id}`);
  await expect(page.getByRole("heading", { name: `Score: ${lead!.score} of 100` })).toBeVisible();
  await expect(page.getByTestId("score-component")).toHaveCount(Object.keys(lead!.score_components as object).length);
  const phases =
    await sql`select count(*)::int as n from market_lead_events where lead_id = ${lead!.id} and kind = 'phase_started'`;
  await expect(page.getByRole("list", { name: "Timeline" }).getByTestId("entry-phase_started")).toHaveCount(
    phases[0]!.n,
  );
  await expect(page.getByTestId("offer")).toHaveCount(offers.length);
  // Each Memphis DJ's stored verdict is on the timeline.
  const [ev] =
    await sql`select jsonb_array_length(data->'verdicts')::int as n from market_lead_events where lead_id = ${lead!.id} and kind = 'eligibility'`;
  expect(ev!.n).toBeGreaterThan(1);
  await expect(page.getByTestId("dj-verdict")).toHaveCount(ev!.n);
  await shot(page, info, "dj-lead-timeline");
});
