// The replay reads an eligible verdict's zip priority from a field; verdicts stored before it had
// one said it only in words, and migration 0011 gives them the field once.
import { buyers, leadEvents, leads } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq, sql } from "drizzle-orm";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addSeller } from "../returns/testing";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 2 });
});
afterAll(async () => {
  await t?.drop();
});

it("gives verdicts stored in words their priority field, and leaves the rest as they were", async () => {
  const seller = await addSeller(t.db);
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: seller,
      name: "c",
      type: "CONTRACTOR",
      verticals: ["roofing"],
      timeZone: "UTC",
      pricingModel: "FIXED",
      fixedLeadPriceCents: 100,
    })
    .returning();
  const [l] = await t.db
    .insert(leads)
    .values({
      sellerOrgId: seller,
      vertical: "roofing",
      zip: "38103",
      contact: { firstName: "A", lastName: "B", phone: "9015550100", email: "a@example.test" },
    })
    .returning();
  const rows = [
    { eligible: true, detail: "serves zip 38103 at priority 12" },
    { eligible: true, priority: 2, detail: "serves zip 38103 at priority 2" },
    { eligible: false, reason: "NOT_IN_AREA", detail: "does not serve zip 38103" },
    { eligible: true, detail: "serves zip 38103" },
  ];
  const ids = [];
  for (const data of rows) {
    const [e] = await t.db
      .insert(leadEvents)
      .values({ leadId: l!.id, buyerId: b!.id, kind: "eligibility", data })
      .returning({ id: leadEvents.id });
    ids.push(e!.id);
  }
  await t.db.execute(
    sql.raw(readFileSync(new URL("../../../db/drizzle/0011_eligibility_priority.sql", import.meta.url), "utf8")),
  );
  const after = [];
  for (const id of ids)
    after.push((await t.db.select({ data: leadEvents.data }).from(leadEvents).where(eq(leadEvents.id, id)))[0]!.data);
  expect(after).toEqual([{ ...rows[0], priority: 12 }, rows[1], rows[2], rows[3]]);
});
