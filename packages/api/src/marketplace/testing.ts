// Fixtures for the marketplace integration tests: DJs with chosen scores, and a lead inserted
// straight into the table (processMultiDJInquiry is tested on its own).
import { djs, marketLeads, type Db } from "@leadflow/db";
import { ManualClock, type EventType } from "@leadflow/engine";
import { randomBytes } from "node:crypto";
import { silentLog } from "../testing";
import type { MarketServices } from "./common";

export function marketServices(
  db: Db,
  clock = new ManualClock("2026-03-02T15:00:00Z"),
): MarketServices & { clock: ManualClock } {
  return { db, clock, log: silentLog, publicUrl: "http://127.0.0.1:0" };
}

let n = 0;
export async function makeDj(db: Db, over: Partial<typeof djs.$inferInsert> = {}) {
  const [dj] = await db
    .insert(djs)
    .values({
      name: `DJ ${++n}`,
      city: "Testville",
      state: "TN",
      tier: "standard",
      priceMinCents: 80_000,
      priceMaxCents: 200_000,
      routingScore: 50,
      ...over,
    })
    .returning();
  return dj!;
}

export async function makeLead(
  db: Db,
  over: Partial<typeof marketLeads.$inferInsert> & { eventType?: EventType } = {},
) {
  const [lead] = await db
    .insert(marketLeads)
    .values({
      contact: { name: "Casey Customer", email: "casey@example.test", phone: null },
      city: "Testville",
      eventType: "wedding",
      eventDate: "2026-06-20",
      budgetMinCents: 100_000,
      budgetMaxCents: 150_000,
      comparisonTokenHash: randomBytes(32).toString("hex"),
      // The tests' clocks start here; the database's now() would be the machine's time.
      createdAt: new Date("2026-03-02T15:00:00Z"),
      ...over,
    })
    .returning();
  return lead!;
}
