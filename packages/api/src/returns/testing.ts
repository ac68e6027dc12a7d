// Builders for the returns tests: buyers and sold leads written straight to the database (the
// sale itself is the auction's business and has its own tests).
import { buyers, leads, orgs, transactions, type Db } from "@leadflow/db";
import { eq } from "drizzle-orm";

type BuyerInsert = typeof buyers.$inferInsert;

export async function addBuyer(db: Db, orgId: string, over: Partial<BuyerInsert> = {}) {
  const [b] = await db
    .insert(buyers)
    .values({
      orgId,
      name: `buyer ${Math.random().toString(36).slice(2, 7)}`,
      type: "CONTRACTOR",
      verticals: ["roofing"],
      timeZone: "America/Chicago",
      duplicateLookbackDays: 30,
      ...over,
    } as BuyerInsert)
    .returning();
  return b!;
}

export async function addSeller(db: Db, name = "Seller") {
  const [o] = await db.insert(orgs).values({ name, kind: "seller" }).returning();
  return o!.id;
}

let n = 0;
/** A SOLD lead bought by each buyer at its price, at `soldAt`. */
export async function soldLead(
  db: Db,
  sellerOrgId: string,
  sales: { buyerId: string; priceCents: number }[],
  soldAt: Date,
  contact: { phone?: string; email?: string } = {},
) {
  const i = ++n;
  const phone = contact.phone ?? `901${2_220_000 + i}`;
  const email = contact.email ?? `person${i}.${Math.random().toString(36).slice(2, 6)}@example.test`;
  const digits = phone.replace(/\D/g, "").replace(/^1(\d{10})$/, "$1");
  const revenue = sales.reduce((a, s) => a + s.priceCents, 0);
  const [lead] = await db
    .insert(leads)
    .values({
      sellerOrgId,
      vertical: "roofing",
      zip: "38103",
      status: "SOLD",
      contact: { firstName: "Pat", lastName: `Person${i}`, phone, email },
      phoneNormalized: digits.length === 10 ? digits : null,
      emailNormalized: email.toLowerCase(),
      receivedAt: soldAt,
      finishedAt: soldAt,
      revenueCents: revenue,
      winnerCount: sales.length,
    })
    .returning();
  for (const s of sales) {
    await db.insert(transactions).values({
      leadId: lead!.id,
      buyerId: s.buyerId,
      kind: "DIRECT",
      isWinner: true,
      priceCents: s.priceCents,
      createdAt: soldAt,
    });
  }
  return lead!.id;
}

export async function revenueOf(db: Db, leadId: string) {
  const [l] = await db.select({ r: leads.revenueCents }).from(leads).where(eq(leads.id, leadId));
  return l!.r;
}
