// Returns: a buyer sends back a lead it bought (docs/returns.md). One request per sale (the
// winning transaction), and one credit per sale in the ledger: the unique indexes are what make a
// lead returnable once and credited once, however many requests race.
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { buyers } from "./buyers";
import { returnReason, returnRule, returnStatus } from "./enums";
import { leads, transactions } from "./leads";

export const returnRequests = pgTable(
  "return_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The sale being returned: the buyer's winning transaction for the lead. */
    saleId: uuid("sale_id")
      .notNull()
      .references(() => transactions.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    reason: returnReason("reason").notNull(),
    comment: text("comment"),
    /** "dashboard" or "api". */
    via: text("via").notNull(),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    /** What the buyer paid for the sale, copied at request time: the credit if approved. */
    priceCents: integer("price_cents").notNull(),
    status: returnStatus("status").notNull(),
    /** The automatic rule that decided or held it; an admin's decision adds decidedBy. */
    rule: returnRule("rule").notNull(),
    ruleDetail: text("rule_detail").notNull(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decisionNote: text("decision_note"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("return_requests_sale_uq").on(t.saleId),
    index("return_requests_buyer_created_idx").on(t.buyerId, t.createdAt),
    index("return_requests_status_idx").on(t.status, t.createdAt),
    index("return_requests_lead_idx").on(t.leadId),
    check("return_requests_price_nonneg", sql`${t.priceCents} >= 0`),
  ],
);

/** The ledger: what a buyer is owed back for a returned sale. Never more than one per sale. */
export const returnCredits = pgTable(
  "return_credits",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    saleId: uuid("sale_id")
      .notNull()
      .references(() => transactions.id, { onDelete: "cascade" }),
    returnId: uuid("return_id")
      .notNull()
      .references(() => returnRequests.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    amountCents: integer("amount_cents").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("return_credits_sale_uq").on(t.saleId),
    uniqueIndex("return_credits_return_uq").on(t.returnId),
    index("return_credits_buyer_created_idx").on(t.buyerId, t.createdAt),
    check("return_credits_amount_nonneg", sql`${t.amountCents} >= 0`),
  ],
);
