// A deletion request on real PostgreSQL: the person's lead is sold with a webhook (to a local
// server that echoes what it got), a lead email and a dashboard notification, returned with a
// comment naming them, sent an email of their own, and asked a DJ for a quote through the
// marketplace; a second person's lead stays. After the request, every text, varchar and jsonb
// column of every table in the database is searched for the phone digits, the email and the
// name: zero hits. The audit entry says when, who and which tables, never the data.
import {
  buyers,
  buyerZips,
  deletionRequests,
  emailOutbox,
  leads,
  orgs,
  returnRequests,
  transactions,
  verticals,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq, sql } from "drizzle-orm";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitLead } from "../../auction/submit";
import type { Services } from "../../context";
import { makeLead } from "../../marketplace/testing";
import { callerAs, makeOrgUser, silentLog, TEST_OUTBOUND } from "../../testing";

let t: TestDb;
let s: Services;
let hook: Server;
let got = "";
let sellerOrgId = "";
let buyerId = "";

const PHONE = "9015550177";
const EMAIL = "wilhelmina.quartermaine@example.org";
const FIRST = "Wilhelmina";
const LAST = "Quartermaine";

/** Every text, varchar and jsonb column of every table (all schemas but the system's) holding `term`. */
async function hits(term: string): Promise<string[]> {
  const cols = await t.db.execute(sql`
    select c.table_schema, c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name
    where tb.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
      and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'character', 'ARRAY')`);
  const found: string[] = [];
  for (const c of cols as unknown as { table_schema: string; table_name: string; column_name: string }[]) {
    const rows = await t.db.execute(
      sql`select count(*)::int as n from ${sql.identifier(c.table_schema)}.${sql.identifier(c.table_name)}
          where strpos(lower(${sql.identifier(c.column_name)}::text), ${term.toLowerCase()}) > 0`,
    );
    const n = (rows as unknown as { n: number }[])[0]!.n;
    if (n > 0) found.push(`${c.table_schema}.${c.table_name}.${c.column_name} (${n})`);
  }
  return found;
}

beforeAll(async () => {
  t = await createTestDb();
  s = {
    db: t.db,
    clock: new ManualClock("2026-03-02T15:00:00Z"),
    log: silentLog,
    publicUrl: "http://127.0.0.1:0",
    outbound: TEST_OUTBOUND,
  };
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got += body;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body); // a CRM that echoes what it got: the response is kept on the transaction too
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
  const port = (hook.address() as AddressInfo).port;
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  sellerOrgId = seller!.id;
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  const [org] = await t.db.insert(orgs).values({ name: "Buyer", kind: "contractor" }).returning();
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: org!.id,
      name: "Buyer",
      type: "CONTRACTOR",
      verticals: ["roofing"],
      pricingModel: "FIXED",
      fixedLeadPriceCents: 3000,
      notifyEmail: true,
      notificationEmail: "sales@buyer.test",
      notifyWebhook: true,
      webhookUrl: `http://127.0.0.1:${port}/leads`,
      webhookSecret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=",
      notifyDashboard: true,
      duplicateLookbackDays: 0,
    })
    .returning();
  buyerId = b!.id;
  await t.db.insert(buyerZips).values({ buyerId, zip: "*", priority: 1 });
});
afterAll(async () => {
  await new Promise<void>((r) => hook?.close(() => r()));
  await t?.drop();
});

describe("a deletion request", () => {
  it("removes the person from every table and keeps an audit entry without their data", async () => {
    const submit = (first: string, last: string, phone: string, email: string) =>
      submitLead(
        s,
        { orgId: sellerOrgId, role: "seller" },
        {
          vertical: "roofing",
          zip: "38103",
          contact: { firstName: first, lastName: last, phone, email, address: "12 Elm St", city: "Memphis" },
          customFields: { callback: `ask for ${first} on ${phone}` },
        },
        true,
      );
    const mine = await submit(FIRST, LAST, PHONE, EMAIL);
    const other = await submit("Bartholomew", "Fenwickstone", "9015550188", "bart.fenwickstone@example.org");
    const [sale] = await t.db
      .select({ id: transactions.id })
      .from(transactions)
      .where(and(eq(transactions.leadId, mine.id), eq(transactions.isWinner, true)));
    expect(sale).toBeDefined();
    expect(got).toContain(FIRST); // the webhook went out with the person in it
    await t.db.insert(returnRequests).values({
      saleId: sale!.id,
      leadId: mine.id,
      buyerId,
      reason: "INVALID_PHONE",
      comment: `${FIRST} ${LAST} says ${PHONE} is not theirs`,
      via: "dashboard",
      priceCents: 3000,
      status: "PENDING",
      rule: "VERIFIED_INVALID_PHONE",
      ruleDetail: "held for an admin",
    });
    await makeLead(t.db, { contact: { name: `${FIRST} ${LAST}`, email: EMAIL, phone: `(901) 555-0177` } });
    await t.db.insert(emailOutbox).values({
      kind: "couple",
      to: EMAIL,
      subject: `Your quotes, ${FIRST}`,
      text: `Hello ${FIRST} ${LAST}`,
    });
    for (const term of [PHONE, EMAIL, FIRST, LAST]) expect((await hits(term)).length).toBeGreaterThan(2);

    const admin = await makeOrgUser(t.db, "admin");
    const api = callerAs(s, admin);
    await expect(api.compliance.requestDeletion({ phone: "12345" })).rejects.toThrow(/10 digits/);
    await expect(api.compliance.requestDeletion({})).rejects.toThrow(/phone, email or both/);
    const res = await api.compliance.requestDeletion({
      phone: "(901) 555-0177",
      email: " Wilhelmina.Quartermaine@Example.org ",
    });
    expect(res.removed).toMatchObject({ leads: 1, market_leads: 1, return_requests: 1 });
    expect(res.removed.email_outbox).toBeGreaterThanOrEqual(2);

    for (const term of [PHONE, EMAIL, FIRST, LAST]) expect(await hits(term), term).toEqual([]);
    // The other person is untouched, and the sold lead's figures stay.
    expect((await hits("Fenwickstone")).length).toBeGreaterThan(2);
    const [l] = await t.db.select().from(leads).where(eq(leads.id, mine.id));
    expect(l!).toMatchObject({ status: "SOLD", revenueCents: 3000, phoneHash: null, emailHash: null });
    expect(l!.purgedAt).toBeInstanceOf(Date);
    expect(other.id).not.toBe(mine.id);

    const [audit] = await t.db.select().from(deletionRequests);
    expect(audit).toMatchObject({ createdBy: admin.id, byPhone: true, byEmail: true, removed: res.removed });
    const list = await api.compliance.deletionRequests();
    expect(list[0]).toMatchObject({ id: res.id, createdBy: admin.email, byPhone: true, byEmail: true });
  });
});
