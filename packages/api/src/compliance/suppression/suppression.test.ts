// Suppression lists and the do-not-call registry on real PostgreSQL: a CSV upload read line by
// line into keyed hashes with a per-line report of what was refused; a suppressed person never
// pinged nor sold (global list: no buyer; a buyer's own list: that buyer only), with SUPPRESSED
// on the lead's timeline; the DNC registry imported through COPY and applied only where the
// vertical applies it; "Do not contact" on a lead's page putting the person on the global list.
import {
  buyers,
  buyerZips,
  dncNumbers,
  leadEvents,
  leads,
  orgs,
  suppressions,
  suppressionUploads,
  transactions,
  verticals,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq, sql } from "drizzle-orm";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitLead } from "../../auction/submit";
import type { Services } from "../../context";
import { callerAs, makeOrgUser, silentLog } from "../../testing";
import { importDncFile } from "./dnc";
import { uploadSuppressionCsv } from "./upload";

let t: TestDb;
let s: Services;
let sellerOrgId = "";
const ids: Record<"a" | "b", string> = { a: "", b: "" };

const csv = (...lines: string[]) => Readable.from([`${lines.join("\r\n")}\r\n`]);
let n = 0;
const lead = (vertical: string, phone: string, email?: string) =>
  submitLead(
    s,
    { orgId: sellerOrgId, role: "seller" },
    {
      vertical,
      zip: "38103",
      contact: { firstName: "Pat", lastName: `Person${++n}`, phone, ...(email ? { email } : {}) },
    },
    true,
  );

async function verdicts(leadId: string) {
  const rows = await t.db
    .select({ buyerId: leadEvents.buyerId, data: leadEvents.data })
    .from(leadEvents)
    .where(and(eq(leadEvents.leadId, leadId), eq(leadEvents.kind, "eligibility")));
  return Object.fromEntries(rows.map((r) => [r.buyerId === ids.a ? "a" : "b", r.data as Record<string, unknown>]));
}
async function soldTo(leadId: string) {
  const rows = await t.db
    .select({ buyerId: transactions.buyerId })
    .from(transactions)
    .where(and(eq(transactions.leadId, leadId), eq(transactions.isWinner, true)));
  return rows.map((r) => (r.buyerId === ids.a ? "a" : "b")).sort();
}
async function touched(leadId: string) {
  const rows = await t.db.select({ id: transactions.id }).from(transactions).where(eq(transactions.leadId, leadId));
  return rows.length;
}

beforeAll(async () => {
  t = await createTestDb();
  s = { db: t.db, clock: new ManualClock("2026-03-02T15:00:00Z"), log: silentLog, publicUrl: "http://127.0.0.1:0" };
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  sellerOrgId = seller!.id;
  await t.db.insert(verticals).values([
    { key: "roofing", name: "Roofing", checkSuppression: true, checkDnc: true },
    { key: "solar", name: "Solar", checkSuppression: true, checkDnc: false },
    { key: "gutters", name: "Gutters", checkSuppression: false, checkDnc: false },
  ]);
  for (const k of ["a", "b"] as const) {
    const [org] = await t.db
      .insert(orgs)
      .values({ name: `Buyer ${k}`, kind: "contractor" })
      .returning();
    const [b] = await t.db
      .insert(buyers)
      .values({
        orgId: org!.id,
        name: `Buyer ${k}`,
        type: "CONTRACTOR",
        verticals: ["roofing", "solar", "gutters"],
        pricingModel: "FIXED",
        fixedLeadPriceCents: 3000,
        deliveryMode: "SHARED",
        sharedPriceCents: 2000,
        maxSharedLeads: 2,
        notifyDashboard: false,
        duplicateLookbackDays: 0,
      })
      .returning();
    ids[k] = b!.id;
    await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
  }
});
afterAll(async () => {
  await t?.drop();
});

describe("a suppression list upload", () => {
  it("adds phones and emails as keyed hashes and reports each refused line with its reason", async () => {
    const report = await uploadSuppressionCsv(
      s,
      { buyerId: null, fileName: "global.csv", userId: null },
      csv(
        "phone,email",
        "(901) 555-0100,Jane.Doe@Example.COM",
        "12345",
        "",
        '"901.555.0101"',
        "not-an-email@",
        "+44 20 7946 0958",
        "9015550100", // the same person again: already listed
        "901-555-0102,bad@@x",
      ),
    );
    expect(report).toMatchObject({ lines: 9, added: 5, alreadyListed: 1, refused: 3 });
    expect(report.refusals).toEqual([
      { line: 3, reason: "a US phone needs 10 digits (found 5); other countries start with +" },
      { line: 6, reason: "not a valid email address" },
      { line: 9, reason: "not a valid email address" },
    ]);
    const [up] = await t.db.select().from(suppressionUploads).where(eq(suppressionUploads.id, report.uploadId));
    expect(up).toMatchObject({ lines: 9, added: 5, alreadyListed: 1, refused: 3, fileName: "global.csv" });
    expect(up!.finishedAt).not.toBeNull();
    // Only hashes are kept: no digit run of a phone and no part of an email anywhere in the table.
    const dump = JSON.stringify(await t.db.select().from(suppressions));
    for (const needle of ["5550100", "555-0100", "jane", "example.com", "79460958"]) expect(dump).not.toContain(needle);
    expect(dump).toMatch(/"hash":"[0-9a-f]{64}"/);
  });

  it("is read a line at a time: a body sent in many small pieces gives the same report", async () => {
    const body = "+19015550110\n9015550111\nx@y.zz\nnope\n";
    const pieces = Readable.from(body.split("").map((c) => Buffer.from(c)));
    const report = await uploadSuppressionCsv(s, { buyerId: ids.a, fileName: "b.csv", userId: null }, pieces);
    expect(report).toMatchObject({ lines: 4, added: 3, refused: 1, refusals: [{ line: 4 }] });
  });
});

describe("screening at eligibility", () => {
  it("never offers a globally suppressed person to any buyer: SUPPRESSED on the timeline, no transaction", async () => {
    for (const [phone, email] of [
      ["9015550100", undefined],
      ["9015550199", "JANE.doe@example.com"],
    ] as const) {
      const r = await lead("roofing", phone, email);
      expect(r.status).toBe("UNSOLD");
      const v = await verdicts(r.id);
      expect(v.a).toMatchObject({ eligible: false, reason: "SUPPRESSED", detail: "on the global suppression list" });
      expect(v.b).toMatchObject({ eligible: false, reason: "SUPPRESSED" });
      expect(await touched(r.id)).toBe(0);
    }
  });

  it("keeps a person on a buyer's own list from that buyer only", async () => {
    const r = await lead("roofing", "9015550111");
    expect((await verdicts(r.id)).a).toMatchObject({
      reason: "SUPPRESSED",
      detail: "on this buyer's suppression list",
    });
    expect(await soldTo(r.id)).toEqual(["b"]);
    const clean = await lead("roofing", "9015550150");
    expect(await soldTo(clean.id)).toEqual(["a", "b"]);
  });

  it("applies the lists only where the vertical screens them", async () => {
    const r = await lead("gutters", "9015550100");
    expect(await soldTo(r.id)).toEqual(["a", "b"]);
  });
});

describe("the do-not-call registry", () => {
  it("imports a registry file through COPY, refusing bad lines, and refuses listed numbers where the vertical applies it", async () => {
    const report = await importDncFile(
      s,
      { fileName: "901.txt", userId: null },
      csv("9015550300", "9015550301", "19015550302", "901555030", "0015550303", "9015550300"),
    );
    expect(report).toMatchObject({ lines: 6, numbers: 4, added: 3, refused: 2 });
    expect(report.refusals.map((r) => r.line)).toEqual([4, 5]);
    const rows = await t.db.select().from(dncNumbers);
    expect(rows.map((r) => r.number).sort()).toEqual([9015550300, 9015550301, 9015550302]);

    const dnc = await lead("roofing", "901-555-0302");
    expect((await verdicts(dnc.id)).a).toMatchObject({
      reason: "SUPPRESSED",
      detail: "on the national do-not-call registry",
    });
    expect(await touched(dnc.id)).toBe(0);
    // Solar does not apply the registry: the same number is sold there.
    const solar = await lead("solar", "9015550302");
    expect(await soldTo(solar.id)).toEqual(["a", "b"]);
  });
});

describe("Do not contact", () => {
  it("puts the lead's person on the global list in one step, for admins only", async () => {
    const admin = await makeOrgUser(t.db, "admin");
    const seller = await makeOrgUser(t.db, "seller");
    const first = await lead("solar", "9015550400", "asked@leave.me");
    expect(await soldTo(first.id)).toEqual(["a", "b"]);
    const api = callerAs(s, admin);
    expect(await api.compliance.leadStatus({ leadId: first.id })).toEqual({ listed: false, canList: true });
    await expect(callerAs(s, seller).compliance.doNotContact({ leadId: first.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await api.compliance.doNotContact({ leadId: first.id })).toEqual({
      added: 2,
      alreadyListed: 0,
      listed: true,
    });
    expect(await api.compliance.leadStatus({ leadId: first.id })).toEqual({ listed: true, canList: true });
    expect(await api.compliance.doNotContact({ leadId: first.id })).toMatchObject({ added: 0, alreadyListed: 2 });
    // The same person again, by phone or by email: nobody is offered the lead.
    const again = await lead("solar", "(901) 555-0400");
    const byEmail = await lead("solar", "9015550499", "ASKED@leave.me");
    for (const r of [again, byEmail]) {
      expect(r.status).toBe("UNSOLD");
      expect(await touched(r.id)).toBe(0);
    }
    const [row] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(suppressions)
      .where(eq(suppressions.source, "DO_NOT_CONTACT"));
    expect(row!.n).toBe(2);
    const leadRow = await t.db.select({ id: leads.id }).from(leads).where(eq(leads.id, first.id));
    expect(leadRow).toHaveLength(1);
  });
});
