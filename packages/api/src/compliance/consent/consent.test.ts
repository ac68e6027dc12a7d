// Consent evidence end to end on real PostgreSQL, with local fakes of TrustedForm (v4 certificate
// API) and Jornaya (Authenticate) on loopback: the claim's request shape and credentials, what is
// stored and shown as the receipt, a buyer requiring a claimed and matching certificate, provider
// failures recorded without failing the sale, and the validation screens (VALIDATION_FAILED).
import { buyers, buyerZips, leadConsentClaims, leadEvents, leads, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitLead } from "../../auction/submit";
import type { Services } from "../../context";
import { auctionLeadTimeline } from "../../insight/timeline";
import { sellerLeadDetail } from "../../sellers/portal";
import { silentLog, TEST_OUTBOUND } from "../../testing";
import { startFakeJornaya, startFakeTrustedForm, type FakeProvider } from "./fake-providers";

let t: TestDb;
let tf: FakeProvider;
let jornaya: FakeProvider;
let sellerOrgId = "";
let buyerOrgId = "";
const KEY = "tf-test-key-0123456789";
const LAC = "0d6c4d5e-1111-4a2b-9c3d-123456789abc";

beforeAll(async () => {
  t = await createTestDb();
  tf = await startFakeTrustedForm(KEY);
  jornaya = await startFakeJornaya(LAC);
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const [org] = await t.db.insert(orgs).values({ name: "Buyer org", kind: "contractor" }).returning();
  sellerOrgId = seller!.id;
  buyerOrgId = org!.id;
});
afterAll(async () => {
  await tf?.close();
  await jornaya?.close();
  await t?.drop();
});

const clock = new ManualClock("2026-03-02T16:00:00Z");
function services(timeoutMs = 2000): Services {
  return {
    db: t.db,
    clock,
    log: silentLog,
    publicUrl: "http://leadflow.test",
    outbound: TEST_OUTBOUND,
    consent: {
      trustedForm: { apiUrl: tf.url, apiKey: KEY, vendor: "LeadFlow test" },
      jornaya: { apiUrl: jornaya.url, accountCode: LAC, apiToken: "jt-secret" },
      timeoutMs,
    },
  };
}

/** A vertical of its own with one FIXED contractor that buys every zip. */
async function vertical(key: string, over: Partial<typeof buyers.$inferInsert> = {}) {
  await t.db.insert(verticals).values({ key, name: key });
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: buyerOrgId,
      name: over.name ?? `Buyer of ${key}`,
      type: "CONTRACTOR",
      verticals: [key],
      pricingModel: "FIXED",
      fixedLeadPriceCents: 3000,
      notifyEmail: false,
      notifyDashboard: true,
      duplicateLookbackDays: 0,
      ...over,
    })
    .returning();
  await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
  return b!;
}

const seller = () => ({ orgId: sellerOrgId, role: "seller" as const });
let n = 0;
function lead(v: string, consent: Record<string, string>, contact: Record<string, string> = {}) {
  n += 1;
  return {
    vertical: v,
    zip: "85001",
    contact: {
      firstName: "Ada",
      lastName: "Lovelace",
      phone: `41555526${String(n).padStart(2, "0")}`,
      email: `ada${n}@example.org`,
      ...contact,
    },
    consent,
  };
}
const claimsOf = (leadId: string) => t.db.select().from(leadConsentClaims).where(eq(leadConsentClaims.leadId, leadId));
const verdictOf = async (leadId: string) =>
  (
    await t.db
      .select()
      .from(leadEvents)
      .where(and(eq(leadEvents.leadId, leadId), eq(leadEvents.kind, "eligibility")))
  )[0]!.data;
const requestFor = (p: FakeProvider, part: string) => p.seen.find((r) => r.path.includes(part))!;

describe("a buyer that requires a claimed, matching TrustedForm certificate", () => {
  it("claims before the auction with the v4 shape and basic auth, sells, and keeps the receipt", async () => {
    const b = await vertical("roof-claimed", { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });
    const r = await submitLead(
      services(),
      seller(),
      lead("roof-claimed", { trustedFormCertUrl: "https://cert.trustedform.com/good0001" }),
      true,
    );
    expect(r.status).toBe("SOLD");
    const req = requestFor(tf, "good0001");
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/good0001");
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`API:${KEY}`).toString("base64")}`);
    expect(req.headers["api-version"]).toBe("4.0");
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      match_lead: { phone: expect.stringMatching(/^41555526\d\d$/), email: expect.stringMatching(/@example\.org$/) },
      retain: { reference: r.id, vendor: "LeadFlow test" },
    });
    expect(body.verify).toBeUndefined(); // no buyer is known before the auction
    const [c] = await claimsOf(r.id);
    expect(c).toMatchObject({
      provider: "TRUSTED_FORM",
      stage: "BEFORE_AUCTION",
      status: "CLAIMED",
      matched: true,
      namesBuyer: null,
      pageUrl: "https://quotes.example.com/roofing?step=3",
      evidence: "https://cert.trustedform.com/good0001",
    });
    expect(c!.retainedUntil?.toISOString()).toBe("2031-03-02T16:00:00.000Z");
    // The receipt on the timeline: the event and the table, both.
    const tl = await auctionLeadTimeline(t.db, r.id);
    const receipt = tl.entries.find((e) => e.kind === "consent_claim")!;
    expect(receipt.stage).toBe("compliance");
    expect(receipt.data).toMatchObject({ provider: "TRUSTED_FORM", status: "CLAIMED", matched: true });
    expect(tl.receipts).toEqual([expect.objectContaining({ provider: "TRUSTED_FORM", status: "CLAIMED" })]);
    expect(await verdictOf(r.id)).toMatchObject({ eligible: true });
    expect(b.requireClaimedConsent).toBe(true);
  });

  it.each([
    ["a certificate that does not match the lead", "nomatch01", "FAILED", /refused the claim/],
    ["a certificate the provider does not know", "gone0001", "FAILED", /refused the claim/],
    ["a provider answering 502", "boom0001", "ERROR", /could not be reached/],
    ["a provider that never answers", "slow0001", "ERROR", /could not be reached/],
  ])(
    "refuses the lead for that buyer on %s, with structured facts, and the auction still ends",
    async (_, id, status, detail) => {
      const key = `roof-${id}`;
      await vertical(key, { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });
      const r = await submitLead(
        services(300),
        seller(),
        lead(key, { trustedFormCertUrl: `https://cert.trustedform.com/${id}` }),
        true,
      );
      expect(r.status).toBe("UNSOLD");
      expect(await verdictOf(r.id)).toMatchObject({
        eligible: false,
        reason: "COMPLIANCE_MISSING",
        detail: expect.stringMatching(detail),
        facts: { requirement: "TRUSTED_FORM", claim: status },
      });
      const [c] = await claimsOf(r.id);
      expect(c).toMatchObject({ status, retainedUntil: null });
      expect(c!.error).toBeTruthy();
    },
  );

  it("never sends the account key to the host a seller wrote: only the cert id is taken", async () => {
    await vertical("roof-host", { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });
    const r = await submitLead(
      services(),
      seller(),
      lead("roof-host", { trustedFormCertUrl: "https://collector.example.net/path/good0002" }),
      true,
    );
    expect(r.status).toBe("SOLD");
    expect(requestFor(tf, "good0002").path).toBe("/good0002");
  });

  it("refuses a lead whose evidence could not be claimed because no provider is configured", async () => {
    await vertical("roof-none", { compliance: ["TRUSTED_FORM"], requireClaimedConsent: true });
    const r = await submitLead(
      { ...services(), consent: undefined },
      seller(),
      lead("roof-none", { trustedFormCertUrl: "https://cert.trustedform.com/good0003" }),
      true,
    );
    expect(r.status).toBe("UNSOLD");
    expect(await verdictOf(r.id)).toMatchObject({ reason: "COMPLIANCE_MISSING", facts: { claim: "NOT_CLAIMED" } });
    expect(await claimsOf(r.id)).toEqual([]);
  });
});

describe("a buyer content with presence", () => {
  it("buys first; the certificate is claimed (retained) after the sale, naming the winner", async () => {
    await vertical("roof-present", { compliance: ["TRUSTED_FORM"], name: "Apex Roofing" });
    const r = await submitLead(
      services(),
      seller(),
      lead("roof-present", {
        trustedFormCertUrl: "https://cert.trustedform.com/good0004",
        jornayaLeadId: "goodtoken-1",
      }),
      true,
    );
    expect(r.status).toBe("SOLD");
    const body = JSON.parse(requestFor(tf, "good0004").body) as { verify?: { advertiser_name?: string } };
    expect(body.verify).toEqual({ advertiser_name: "Apex Roofing" });
    const claims = await claimsOf(r.id);
    expect(claims.map((c) => [c.provider, c.stage, c.status, c.namesBuyer]).sort()).toEqual([
      ["JORNAYA", "AT_SALE", "CLAIMED", null],
      ["TRUSTED_FORM", "AT_SALE", "CLAIMED", true],
    ]);
    const j = requestFor(jornaya, "goodtoken-1");
    expect(j.method).toBe("GET");
    expect(j.path).toBe(`/Authenticate?lac=${LAC}&id=goodtoken-1`);
    expect(j.headers.authorization).toBe("Bearer jt-secret");
  });

  it("records a provider's 5xx after the sale and keeps the sale", async () => {
    await vertical("roof-late-boom", { compliance: ["TRUSTED_FORM"] });
    const r = await submitLead(
      services(),
      seller(),
      lead("roof-late-boom", { trustedFormCertUrl: "https://cert.trustedform.com/boom0002" }),
      true,
    );
    expect(r.status).toBe("SOLD");
    const [c] = await claimsOf(r.id);
    expect(c).toMatchObject({ stage: "AT_SALE", status: "ERROR", error: "TrustedForm answered 502" });
  });
});

describe("Jornaya LeadiD required claimed", () => {
  it("admits an authentic token and refuses an expired one with the provider's reason", async () => {
    await vertical("solar-jornaya", { compliance: ["JORNAYA"], requireClaimedConsent: true });
    const ok = await submitLead(services(), seller(), lead("solar-jornaya", { jornayaLeadId: "goodtoken-2" }), true);
    expect(ok.status).toBe("SOLD");
    const bad = await submitLead(services(), seller(), lead("solar-jornaya", { jornayaLeadId: "gonetoken-1" }), true);
    expect(bad.status).toBe("UNSOLD");
    expect((await claimsOf(bad.id))[0]).toMatchObject({
      status: "FAILED",
      outcome: "not authentic: token expired",
    });
    expect(await verdictOf(bad.id)).toMatchObject({ reason: "COMPLIANCE_MISSING", facts: { claim: "FAILED" } });
  });
});

describe("validation screens", () => {
  it("stores the checks on the lead and refuses a disposable email or an invalid phone for a buyer that asks", async () => {
    await vertical("hvac-picky", { refuseDisposableEmail: true, refuseInvalidPhone: true });
    const bad = await submitLead(
      services(),
      seller(),
      lead("hvac-picky", {}, { email: "someone@mailinator.com" }),
      true,
    );
    expect(bad.status).toBe("UNSOLD");
    expect(await verdictOf(bad.id)).toMatchObject({
      eligible: false,
      reason: "VALIDATION_FAILED",
      facts: { check: "email", result: "DISPOSABLE" },
    });
    const [row] = await t.db.select({ v: leads.validation }).from(leads).where(eq(leads.id, bad.id));
    expect(row!.v).toEqual({ phone: "VALID", phoneLineType: "FIXED_LINE_OR_MOBILE", email: "DISPOSABLE" });
    // The seller learns why: the checks and the refusal, with no buyer named.
    const seen = await sellerLeadDetail(services(), sellerOrgId, bad.id);
    expect(seen.validation).toEqual(row!.v);
    expect(seen.screened).toEqual([
      { reason: "VALIDATION_FAILED", detail: "refuses leads whose email is at a disposable domain" },
    ]);
    expect(JSON.stringify(seen)).not.toContain("Buyer of hvac-picky");

    const badPhone = await submitLead(services(), seller(), lead("hvac-picky", {}, { phone: "2121234567" }), true);
    expect(await verdictOf(badPhone.id)).toMatchObject({
      reason: "VALIDATION_FAILED",
      facts: { check: "phone", result: "INVALID" },
    });

    const good = await submitLead(services(), seller(), lead("hvac-picky", {}), true);
    expect(good.status).toBe("SOLD");
  });

  it("lets a buyer without the screens buy the same lead", async () => {
    await vertical("hvac-easy");
    const r = await submitLead(services(), seller(), lead("hvac-easy", {}, { email: "someone@mailinator.com" }), true);
    expect(r.status).toBe("SOLD");
  });
});
