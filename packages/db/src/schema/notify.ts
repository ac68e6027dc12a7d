// DJ notifications (issue 17): each DJ's channels and quiet hours, the browsers a user has
// subscribed for Web Push, every message on every channel with its attempts, and the secrets the
// server made for itself at first start (VAPID keys, the offer-link key).
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { notifyChannel, notifyStatus } from "./enums";
import { djs, leadAssignments, marketLeads } from "./marketplace";

const tz = (name: string) => timestamp(name, { withTimezone: true });

/** A DJ's channels. No row: email only, to the DJ's contact email (the default a new DJ gets). */
export const djNotifySettings = pgTable(
  "dj_notify_settings",
  {
    djId: uuid("dj_id")
      .primaryKey()
      .references(() => djs.id, { onDelete: "cascade" }),
    /** The DJ's user the one-tap links are signed for (the one who saved these settings). */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: boolean("email").notNull().default(true),
    emailTo: text("email_to"),
    sms: boolean("sms").notNull().default(false),
    /** E.164 (+19015550123). */
    smsTo: text("sms_to"),
    push: boolean("push").notNull().default(false),
    /** "HH:MM" local, both or neither. */
    quietStart: text("quiet_start"),
    quietEnd: text("quiet_end"),
    timeZone: text("time_zone").notNull().default("America/Chicago"),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("dj_notify_quiet_both", sql`(${t.quietStart} is null) = (${t.quietEnd} is null)`),
    check("dj_notify_sms_to", sql`not ${t.sms} or ${t.smsTo} is not null`),
  ],
);

/** A browser that asked for Web Push: its endpoint and keys (RFC 8291), per user. */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    userAgent: text("user_agent"),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("push_subscriptions_endpoint_uq").on(t.endpoint),
    index("push_subscriptions_user_idx").on(t.userId),
  ],
);

/** One offer told on one channel: written with the offer, sent by the dj-notify queue. */
export const djNotifications = pgTable(
  "dj_notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    assignmentId: uuid("assignment_id")
      .notNull()
      .references(() => leadAssignments.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => marketLeads.id, { onDelete: "cascade" }),
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    channel: notifyChannel("channel").notNull(),
    status: notifyStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    /** The offer was written at; the send's latency is measured from here. */
    createdAt: tz("created_at").notNull(),
    nextAttemptAt: tz("next_attempt_at"),
    sentAt: tz("sent_at"),
    error: text("error"),
    /** What the channel answered: the email's outbox id, the SMS sid, push endpoints reached. */
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    uniqueIndex("dj_notifications_offer_channel_uq").on(t.assignmentId, t.channel),
    index("dj_notifications_lead_idx").on(t.leadId),
    check("dj_notifications_attempts_nonneg", sql`${t.attempts} >= 0`),
  ],
);

/** Secrets the server generated once and shares across its processes (first writer wins). */
export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: jsonb("value").$type<Record<string, string>>().notNull(),
  createdAt: tz("created_at").notNull().defaultNow(),
});
