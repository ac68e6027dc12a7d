// The demo's returns history is made through the real service: one return approved on a phone
// that fails validation and credited, one held and denied by an admin, one waiting in the queue.
import { leadEvents, orgs, returnCredits, returnRequests, users } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auctionSeed } from "./auction";
import { returnsSeed } from "./returns";
import { DEMO_ORGS } from "./world";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGS) {
    const [row] = await t.db.insert(orgs).values({ name: o.name, kind: o.kind }).returning({ id: orgs.id });
    orgIds.set(o.key, row!.id);
    if (o.key === "platform")
      await t.db.insert(users).values({
        orgId: row!.id,
        email: o.user.email,
        name: o.user.name,
        role: "admin",
        passwordHash: "scrypt$1$1$1$AA$AA",
      });
  }
  const ctx = { db: t.db, orgIds, progress: () => {} };
  await auctionSeed().run(ctx);
  await returnsSeed().run(ctx);
});
afterAll(() => t?.drop());

describe("returns seed", () => {
  it("leaves an approved and credited return, a denied one and one waiting for an admin, each on its lead's timeline", async () => {
    const rows = await t.db.select().from(returnRequests).orderBy(asc(returnRequests.createdAt));
    expect(rows.map((r) => [r.reason, r.status, r.rule])).toEqual([
      ["INVALID_PHONE", "APPROVED", "VERIFIED_INVALID_PHONE"],
      ["CONSUMER_DENIES", "DENIED", "ADMIN"],
      ["OUTSIDE_SERVICE_AREA", "PENDING", "OVER_CAP"],
    ]);
    const credits = await t.db.select().from(returnCredits);
    expect(credits.map((c) => c.amountCents)).toEqual([4500]);
    const kinds = (
      await t.db
        .select({ kind: leadEvents.kind })
        .from(leadEvents)
        .where(eq(leadEvents.leadId, rows[0]!.leadId))
        .orderBy(asc(leadEvents.id))
    ).map((e) => e.kind);
    expect(kinds).toEqual(["outcome", "return_requested", "return_rule", "return_decided", "return_credited"]);
  });
});
