// Compliance screens (docs/compliance.md): suppression lists, global and per buyer, kept only as
// keyed hashes of E.164 phones and lower-cased emails; the uploads that filled them, with their
// per-line report; and the national do-not-call registry's numbers.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { buyers } from "./buyers";

/** One refused line of an upload: where and why, never the value itself. */
export interface SuppressionRefusal {
  line: number;
  reason: string;
}

export const suppressionUploads = pgTable(
  "suppression_uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** null: the global list. */
    buyerId: uuid("buyer_id").references(() => buyers.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    lines: integer("lines").notNull().default(0),
    added: integer("added").notNull().default(0),
    alreadyListed: integer("already_listed").notNull().default(0),
    refused: integer("refused").notNull().default(0),
    /** The first refusals (line and reason), at most 1000. */
    refusals: jsonb("refusals").$type<SuppressionRefusal[]>().notNull().default([]),
  },
  (t) => [index("suppression_uploads_created_idx").on(t.createdAt)],
);

export const suppressions = pgTable(
  "suppressions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** null: the global list (no buyer gets the person); else only this buyer's list. */
    buyerId: uuid("buyer_id").references(() => buyers.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"PHONE" | "EMAIL">().notNull(),
    /** HMAC-SHA256 (hex) of the E.164 phone or the lower-cased email, under the server's key. */
    hash: text("hash").notNull(),
    /** UPLOAD (a CSV), DO_NOT_CONTACT (the admin's one step on a lead's page). */
    source: text("source").$type<"UPLOAD" | "DO_NOT_CONTACT">().notNull(),
    uploadId: uuid("upload_id").references(() => suppressionUploads.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("suppressions_hash_buyer_uq").on(t.hash, t.buyerId).nullsNotDistinct(),
    check("suppressions_kind_ck", sql`${t.kind} in ('PHONE', 'EMAIL')`),
    check("suppressions_source_ck", sql`${t.source} in ('UPLOAD', 'DO_NOT_CONTACT')`),
  ],
);

/** The national do-not-call registry: one row per 10-digit US number (area code first). */
export const dncNumbers = pgTable("dnc_numbers", {
  number: bigint("number", { mode: "number" }).primaryKey(),
});

export const dncImports = pgTable("dnc_imports", {
  id: uuid("id").primaryKey().defaultRandom(),
  fileName: text("file_name").notNull(),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lines: integer("lines").notNull(),
  added: integer("added").notNull(),
  refused: integer("refused").notNull(),
  ms: integer("ms").notNull(),
});

/**
 * A person's deletion request (docs/compliance.md): the audit entry the law asks for. When, which
 * admin entered it, which identifiers it was made by (kinds only), and what was removed (table →
 * rows changed). Never the phone, the email or any other personal data.
 */
export const deletionRequests = pgTable("deletion_requests", {
  id: uuid("id").primaryKey().defaultRandom(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  /** Which identifiers the person gave: PHONE, EMAIL or both. */
  byPhone: boolean("by_phone").notNull(),
  byEmail: boolean("by_email").notNull(),
  /** Table name → rows changed or removed. */
  removed: jsonb("removed").$type<Record<string, number>>().notNull().default({}),
});
