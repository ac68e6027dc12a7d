// The couple's side of the marketplace (issue #17 item 3): the thread between a couple and each
// DJ who quoted. A message written before the DJ unlocked the contact or the couple chose them is
// stored with any email address or phone number replaced (`redacted` says so).
import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { djs, marketLeads } from "./marketplace";

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const marketLeadMessages = pgTable(
  "market_lead_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Insertion order: messages written in the same instant keep the order they were sent in. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => marketLeads.id, { onDelete: "cascade" }),
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    /** 'couple' or 'dj'. */
    sender: text("sender").notNull(),
    body: text("body").notNull(),
    redacted: boolean("redacted").notNull().default(false),
    createdAt: tz("created_at").notNull(),
  },
  (t) => [
    index("market_lead_messages_thread_idx").on(t.leadId, t.djId, t.seq),
    check("market_lead_messages_sender", sql`${t.sender} in ('couple', 'dj')`),
    check("market_lead_messages_body", sql`length(${t.body}) between 1 and 2000`),
  ],
);
