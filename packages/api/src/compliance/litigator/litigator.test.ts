// The litigator list on real PostgreSQL, with a local fake of the lookup API on loopback: a listed
// phone refused to every buyer of a vertical that applies the check (SUPPRESSED, the detail says
// litigator) and never pinged or sold; a clear one sold; the check's request shape and key; a
// provider that is slow, failing or not configured refused (fail-closed, the default) or let
// through (a vertical that fails open), each recorded on the lead's timeline; and the order of
// paid checks: a person the suppression lists already refuse costs neither a litigator lookup nor
// a consent claim.
import { buyers, buyerZips, insertSuppressions, leadEvents, orgs, transactions, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitLead } from "../../auction/submit";
import type { Services } from "../../context";
import { auctionLeadTimeline } from "../../insight/timeline";
import { silentLog, TEST_OUTBOUND } from "../../testing";
import { startFakeTrustedForm, type FakeProvider } from "../consent/fake-providers";
import { suppressionOverview, updateVerticalChecks } from "../suppression/service";
import { personHash, personHashKey } from "../suppression/person";
import { startFakeLitigator, type FakeLitigator } from "./fake-litigator";

const KEY = "litigator-test-key-0123";
const TF_KEY = "tf-test-key-0123456789";
let t: TestDb;
let fake: FakeLitigator;
let tf: FakeProvider;
let sellerOrgId = "";
let buyerOrgId = "";

beforeAll(async () => {
  t = await createTestDb();
  fake = await startFakeLitigator(KEY);
  tf = await startFakeTrustedForm(TF_KEY);
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const [org] = await t.db.insert(orgs).values({ name: "Buyer org", kind: "contractor" }).returning();
  sellerOrgId = seller!.id;
  buyerOrgId = org!.id;
});
afterAll(async () => {
  await fake?.close();
  await tf?.close();
  await t?.drop();
});

const clock = new ManualClock("2026-03-02T16:00:00Z");
function services(opts: { timeoutMs?: number; configured?: boolean } = {}): Services {
  return {
    db: t.db,
    clock,
    log: silentLog,
    publicUrl: "http://leadflow.test",
    outbound: TEST_OUTBOUND,
    litigator: opts.configured === false ? null : { apiUrl: fake.url, apiKey: KEY, timeoutMs: opts.timeoutMs ?? 5000 },
    consent: {
      trustedForm: { apiUrl: tf.url, apiKey: TF_KEY, vendor: "LeadFlow test" },
      jornaya: null,
      timeoutMs: 5000,
    },
  };
}

/** A vertical of its own with one FIXED contractor that buys every zip. */
async function vertical(
  key: string,
  v: Partial<typeof verticals.$inferInsert>,
  b: Partial<typeof buyers.$inferInsert> = {},
) {
  await t.db.insert(verticals).values({ key, name: key, ...v });
  const [row] = await t.db
    .insert(buyers)
    .values({
      orgId: buyerOrgId,
      name: `Buyer of ${key}`,
      type: "CONTRACTOR",
      verticals: [key],
      pricingModel: "FIXED",
      fixedLeadPriceCents: 3000,
      notifyEmail: false,
      notifyDashboard: false,
      duplicateLookbackDays: 0,
      ...b,
    })
    .returning();
  await t.db.insert(buyerZips).values({ buyerId: row!.id, zip: "*", priority: 1 });
  return row!;
}

let n = 0;
/** A fresh 10-digit number per call. */
const phone = () => `60255501${String(++n).padStart(2, "0")}`;
const submit = (s: Services, v: string, p: string, consent: Record<string, string> = {}) =>
  submitLead(
    s,
    { orgId: sellerOrgId, role: "seller" },
    { vertical: v, zip: "85001", contact: { firstName: "Lee", lastName: "Tester", phone: p }, consent },
    true,
  );
const eventsOf = async (leadId: string, kind: string) =>
  (
    await t.db
      .select({ data: leadEvents.data })
      .from(leadEvents)
      .where(and(eq(leadEvents.leadId, leadId), eq(leadEvents.kind, kind)))
  ).map((r) => r.data as Record<string, unknown>);
const txCount = async (leadId: string) =>
  (await t.db.select({ id: transactions.id }).from(transactions).where(eq(transactions.leadId, leadId))).length;
const lookups = (p: string) => fake.seen.filter((r) => r.path === `/lookup/single/${p}`);

describe("a vertical that applies the litigator list", () => {
  it("refuses a listed phone to every buyer with SUPPRESSED (detail: litigator), never selling it", async () => {
    await vertical("lit-on", { checkLitigator: true });
    const listed = phone();
    fake.listed.set(listed, "plaintiff-primary,attorney-primary");
    const r = await submit(services(), "lit-on", listed);
    expect(r.status).toBe("UNSOLD");
    const req = lookups(listed);
    expect(req).toHaveLength(1);
    expect(req[0]!.key).toBe(KEY);
    const [verdict] = await eventsOf(r.id, "eligibility");
    expect(verdict).toMatchObject({ eligible: false, reason: "SUPPRESSED" });
    expect(String(verdict!.detail)).toContain("litigator");
    expect(String(verdict!.detail)).toContain("plaintiff-primary");
    expect(await txCount(r.id)).toBe(0);
    expect(await eventsOf(r.id, "litigator_check")).toEqual([
      expect.objectContaining({ status: "LISTED", codes: "plaintiff-primary,attorney-primary", refused: true }),
    ]);
    // On the admin's timeline, in the compliance stage.
    const tl = await auctionLeadTimeline(t.db, r.id);
    expect(tl.entries.find((e) => e.kind === "litigator_check")?.stage).toBe("compliance");
  });

  it("sells a phone the list does not name, with the clear check on the timeline", async () => {
    const clear = phone();
    const r = await submit(services(), "lit-on", clear);
    expect(r.status).toBe("SOLD");
    expect(lookups(clear)).toHaveLength(1);
    expect(await eventsOf(r.id, "litigator_check")).toEqual([
      expect.objectContaining({ status: "CLEAR", refused: false }),
    ]);
  });

  it("refuses the lead when the list does not answer in time (fail-closed by default)", async () => {
    const slow = phone();
    fake.slow.add(slow);
    const r = await submit(services({ timeoutMs: 300 }), "lit-on", slow);
    expect(r.status).toBe("UNSOLD");
    const [verdict] = await eventsOf(r.id, "eligibility");
    expect(verdict).toMatchObject({ eligible: false, reason: "SUPPRESSED" });
    expect(String(verdict!.detail)).toContain("litigator check could not be completed");
    const [check] = await eventsOf(r.id, "litigator_check");
    expect(check).toMatchObject({ status: "ERROR", failOpen: false, refused: true });
    expect(String(check!.error)).toContain("no answer within 300 ms");
    expect(await txCount(r.id)).toBe(0);
  });

  it("refuses the lead when no litigator list is configured, and the page says it is not", async () => {
    const p = phone();
    const r = await submit(services({ configured: false }), "lit-on", p);
    expect(r.status).toBe("UNSOLD");
    expect(lookups(p)).toHaveLength(0);
    const [check] = await eventsOf(r.id, "litigator_check");
    expect(check).toMatchObject({ status: "ERROR", refused: true });
    expect(String(check!.error)).toContain("LITIGATOR_URL");
    expect((await suppressionOverview(services({ configured: false }))).litigatorConfigured).toBe(false);
    expect((await suppressionOverview(services())).litigatorConfigured).toBe(true);
  });

  it("lets the lead through, noted, when the vertical fails open and the list answers 503", async () => {
    await vertical("lit-open", {});
    await updateVerticalChecks(services(), {
      key: "lit-open",
      checkSuppression: true,
      checkDnc: false,
      checkLitigator: true,
      litigatorFailOpen: true,
    });
    const p = phone();
    fake.boom.add(p);
    const r = await submit(services(), "lit-open", p);
    expect(r.status).toBe("SOLD");
    const [check] = await eventsOf(r.id, "litigator_check");
    expect(check).toMatchObject({ status: "ERROR", failOpen: true, refused: false });
    expect(String(check!.error)).toContain("503");
  });

  it("still refuses a listed phone when the vertical fails open (failing open is about errors only)", async () => {
    const listed = phone();
    fake.listed.set(listed, "prelitigation1");
    const r = await submit(services(), "lit-open", listed);
    expect(r.status).toBe("UNSOLD");
    const [verdict] = await eventsOf(r.id, "eligibility");
    expect(verdict).toMatchObject({ reason: "SUPPRESSED" });
  });
});

describe("a vertical that does not apply the litigator list", () => {
  it("never asks it, and sells a listed phone", async () => {
    await vertical("lit-off", {});
    const listed = phone();
    fake.listed.set(listed, "plaintiff-primary");
    const r = await submit(services(), "lit-off", listed);
    expect(r.status).toBe("SOLD");
    expect(lookups(listed)).toHaveLength(0);
    expect(await eventsOf(r.id, "litigator_check")).toEqual([]);
  });
});

describe("paid checks come after the free ones", () => {
  it("a person on the global suppression list costs no litigator lookup and no consent claim", async () => {
    await vertical("lit-paid", { checkLitigator: true }, { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });
    const s = services();
    const suppressed = phone();
    await insertSuppressions(t.db, { buyerId: null, source: "DO_NOT_CONTACT", uploadId: null }, [
      { kind: "PHONE", hash: personHash(await personHashKey(s), `+1${suppressed}`) },
    ]);
    const tfBefore = tf.seen.length;
    const r = await submit(s, "lit-paid", suppressed, { trustedFormCertUrl: "https://cert.trustedform.com/good7001" });
    expect(r.status).toBe("UNSOLD");
    const [verdict] = await eventsOf(r.id, "eligibility");
    expect(verdict).toMatchObject({ reason: "SUPPRESSED", detail: "on the global suppression list" });
    expect(lookups(suppressed)).toHaveLength(0);
    expect(tf.seen.length - tfBefore).toBe(0);

    // The same buyer and evidence for a person no list names: both paid checks are made, and it sells.
    const other = phone();
    const sold = await submit(s, "lit-paid", other, { trustedFormCertUrl: "https://cert.trustedform.com/good7002" });
    expect(sold.status).toBe("SOLD");
    expect(lookups(other)).toHaveLength(1);
    expect(tf.seen.filter((q) => q.path === "/good7002")).toHaveLength(1);
  });

  it("a person the litigator list names costs no consent claim either", async () => {
    const listed = phone();
    fake.listed.set(listed, "plaintiff-primary");
    const tfBefore = tf.seen.length;
    const r = await submit(services(), "lit-paid", listed, {
      trustedFormCertUrl: "https://cert.trustedform.com/good7003",
    });
    expect(r.status).toBe("UNSOLD");
    expect(tf.seen.length - tfBefore).toBe(0);
  });
});
