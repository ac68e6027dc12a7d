// The public DJ inquiry form's consent record, through the public procedure on real PostgreSQL:
// the server's text for the version shown (never the browser's), its SHA-256, what was ticked,
// time, address, browser and page; an unticked box or an unknown version refused, nothing written.
import { inquiryConsents, marketLeads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { CURRENT_INQUIRY_CONSENT, INQUIRY_CONSENT_TEXTS, ManualClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContextInner } from "../context";
import { appRouter } from "../root";
import { testServices } from "../testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.drop();
});

const clock = new ManualClock("2026-03-02T15:00:00Z");
const anon = () =>
  appRouter.createCaller(
    createContextInner({
      ...testServices(t.db, clock),
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 7) Test",
    }),
  );
const inquiry = {
  name: "Jordan Lee",
  email: "jordan@example.test",
  city: "Consentville",
  eventType: "wedding" as const,
  eventDate: "2026-06-20",
};
const consent = (contact: boolean, version: string = CURRENT_INQUIRY_CONSENT) => ({
  version,
  ticked: { contact },
  pageUrl: "https://leadflow.example/inquire?city=Consentville",
});

describe("the inquiry form's consent record", () => {
  it("stores the exact text of the version shown, its hash, what was ticked, when, from where, on which page", async () => {
    await anon().marketPublic.inquire({ ...inquiry, consent: consent(true) } as never);
    const [lead] = await t.db.select().from(marketLeads).where(eq(marketLeads.city, "Consentville"));
    const rows = await t.db.select().from(inquiryConsents).where(eq(inquiryConsents.marketLeadId, lead!.id));
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.text).toContain(INQUIRY_CONSENT_TEXTS[CURRENT_INQUIRY_CONSENT].contact);
    expect(r.textSha256).toBe(createHash("sha256").update(r.text).digest("hex"));
    expect(r).toMatchObject({
      textVersion: CURRENT_INQUIRY_CONSENT,
      ticked: { contact: true },
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 7) Test",
      pageUrl: "https://leadflow.example/inquire?city=Consentville",
    });
    expect(r.at.toISOString()).toBe("2026-03-02T15:00:00.000Z");
  });

  it.each([
    ["an unticked box", consent(false), /Tick the box/],
    ["a version this site never showed", consent(true, "1999-01-01"), /not one this site shows/],
    ["text sent by the browser", { ...consent(true), text: "I agree to nothing" }, /Unrecognized key/i],
  ])("refuses %s and writes nothing", async (_, c, message) => {
    const before = (await t.db.select().from(marketLeads)).length;
    await expect(
      anon().marketPublic.inquire({ ...inquiry, city: "Refusedville", consent: c } as never),
    ).rejects.toThrow(message);
    expect((await t.db.select().from(marketLeads)).length).toBe(before);
  });
});
