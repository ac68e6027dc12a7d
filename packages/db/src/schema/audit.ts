import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { orgs, users } from "./auth";

/**
 * Every change to a setting (a buyer's terms, a source, a vertical, a routing or returns setting,
 * an API key, a seller's webhook, a DJ's channels …), written in the same transaction as the
 * change itself (packages/api/src/audit). `before`/`after` hold the changed entity's fields with
 * every secret replaced by "[redacted]" (docs/security.md). Rows are only ever inserted.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** Who: kept as text too, so the entry still reads right after the user is deleted. */
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    actorOrgId: uuid("actor_org_id").references(() => orgs.id, { onDelete: "set null" }),
    /** The organisation the changed entity belongs to (null: installation-wide, e.g. a vertical). */
    orgId: uuid("org_id").references(() => orgs.id, { onDelete: "set null" }),
    /** The request's source address. */
    ip: text("ip"),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    /** The procedure that made the change, e.g. "buyers.updateMyTerms". */
    action: text("action").notNull(),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    /** Top-level fields whose value differs between before and after. */
    changed: text("changed")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at.desc(), t.id.desc()),
    index("audit_log_org_at_idx").on(t.orgId, t.at.desc()),
    index("audit_log_actor_org_at_idx").on(t.actorOrgId, t.at.desc()),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
  ],
);
