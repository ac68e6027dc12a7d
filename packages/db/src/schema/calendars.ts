// DJs' calendars (issue #17 item 4): the private ICS feed each DJ subscribes to from Google or
// Apple Calendar (an unguessable token in its URL, replaced on rotation), and an external ICS feed
// of the DJ's whose busy days block leads of those dates (fetched by a scheduled job).
import { date, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { djs } from "./marketplace";

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const djCalendars = pgTable("dj_calendars", {
  djId: uuid("dj_id")
    .primaryKey()
    .references(() => djs.id, { onDelete: "cascade" }),
  /** 256 random bits (base64url): the feed URL's only credential. Rotating replaces it. */
  feedToken: text("feed_token").notNull().unique(),
  feedRotatedAt: tz("feed_rotated_at").notNull(),
  /** The DJ's own calendar to read busy days from (http/https, through the outbound guard). */
  externalUrl: text("external_url"),
  externalFetchedAt: tz("external_fetched_at"),
  /** Why the last fetch failed, for the DJ; null after a good fetch. */
  externalError: text("external_error"),
});

/** Days the DJ's external calendar shows busy; replaced as a whole at each good fetch. */
export const djExternalBusy = pgTable(
  "dj_external_busy",
  {
    djId: uuid("dj_id")
      .notNull()
      .references(() => djs.id, { onDelete: "cascade" }),
    date: date("date", { mode: "string" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.djId, t.date] }), index("dj_external_busy_date_idx").on(t.date)],
);
