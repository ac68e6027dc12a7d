// A buyer's money (docs/billing.md): an append-only ledger of top-ups, charges at each sale,
// releases of undone sales and credits at each approved return, and the balance it sums to. The
// billing settings (mode, credit limit, budgets, low-balance threshold) live on the buyer's row.
// Triggers (migration, hand-written part) write every charge, release and return credit from the
// sale and the return themselves, keep buyer_balances equal to the ledger's sum in the same
// transaction, and refuse any UPDATE or DELETE of a ledger row.
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { buyers } from "./buyers";
import { buyerLedgerKind } from "./enums";

export const buyerLedger = pgTable(
  "buyer_ledger",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id, { onDelete: "cascade" }),
    kind: buyerLedgerKind("kind").notNull(),
    /** Signed: a top-up and a credit add, a charge takes away. */
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    /** The sale (winning transaction) a charge or release is for; no foreign key: history stays. */
    transactionId: uuid("transaction_id"),
    leadId: uuid("lead_id"),
    returnId: uuid("return_id"),
    note: text("note"),
    /** A top-up's idempotency key: the same key twice is one top-up. */
    idempotencyKey: text("idempotency_key"),
    /** The admin who made a top-up (no foreign key: a ledger row is never updated). */
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("buyer_ledger_buyer_created_idx").on(t.buyerId, t.createdAt, t.id),
    uniqueIndex("buyer_ledger_idempotency_uq").on(t.buyerId, t.idempotencyKey),
    check(
      "buyer_ledger_sign",
      sql`(${t.kind} in ('TOP_UP', 'RELEASE', 'RETURN_CREDIT') and ${t.amountCents} >= 0) or (${t.kind} = 'CHARGE' and ${t.amountCents} <= 0)`,
    ),
  ],
);

/** The ledger's sum per buyer, kept by trigger in the transaction of each entry; never edited. */
export const buyerBalances = pgTable("buyer_balances", {
  buyerId: uuid("buyer_id")
    .primaryKey()
    .references(() => buyers.id, { onDelete: "cascade" }),
  balanceCents: bigint("balance_cents", { mode: "number" }).notNull().default(0),
  /** How many times the balance fell under the buyer's low-balance threshold (one email each). */
  lowCrossings: integer("low_crossings").notNull().default(0),
  /** How many of those crossings were emailed. */
  lowNotified: integer("low_notified").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
