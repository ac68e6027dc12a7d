// Lead search for the dashboard's top bar: auction leads and marketplace inquiries in one list,
// scoped to what the caller's own lead pages show, and never matching on contact details the
// caller may not see yet (a buyer before it bought, a DJ before it unlocked). The scope repeats
// packages/api/src/auction/view.ts (auction) and the DJ inbox (marketplace) in SQL; the access
// matrix and apps/server/src/search.test.ts check both agree.
import {
  LEAD_STATUSES,
  MARKET_LEAD_STATES,
  type LeadStatus,
  type MarketLeadState,
  type UserRole,
} from "@leadflow/engine";
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../client";

export interface SearchLeadsParams {
  viewer: { role: UserRole; orgId: string };
  /** A phone, an email, a name, an external id or a lead id; what it looks like decides which. */
  text?: string;
  status?: LeadStatus | MarketLeadState;
  /** Received (an inquiry: created) at or after. */
  from?: Date;
  /** Received before (exclusive). */
  to?: Date;
  limit: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

export interface LeadSearchHit {
  kind: "auction" | "market";
  id: string;
  status: LeadStatus | MarketLeadState;
  at: string;
  /** The customer's name, only when the caller may see the contact. */
  name: string | null;
  /** Vertical (auction) or event type (marketplace). */
  what: string;
  /** ZIP (auction) or city (marketplace). */
  place: string;
  externalId: string | null;
}

export interface SearchTerms {
  id?: string;
  email?: string;
  phoneDigits?: string;
  /** Name and external id: the text as typed. */
  words?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the typed text can be. A run of digits is a phone and may also be an external id. */
export function parseSearchText(raw: string | undefined): SearchTerms | null {
  const text = raw?.trim() ?? "";
  if (!text) return null;
  if (UUID.test(text)) return { id: text.toLowerCase() };
  if (text.includes("@")) return { email: text.toLowerCase(), words: text };
  const phoneish = /^[\d\s().+-]+$/.test(text) ? text.replace(/\D/g, "") : "";
  // Stored phones are 10 digits (leads.phone_normalized): a leading US 1 is dropped.
  const digits = phoneish.length === 11 && phoneish.startsWith("1") ? phoneish.slice(1) : phoneish;
  return digits.length >= 4 ? { phoneDigits: digits, words: text } : { words: text };
}

/** `CURSOR = at|id`, at with microseconds so rows in the same millisecond are neither lost nor repeated. */
export const SEARCH_CURSOR = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\|[0-9a-f-]{36}$/;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const any = (parts: (SQL | null)[]): SQL => {
  const kept = parts.filter((p): p is SQL => p !== null);
  return kept.length ? sql`(${sql.join(kept, sql` or `)})` : sql`false`;
};
const atText = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function auctionPart(p: SearchLeadsParams, terms: SearchTerms | null): SQL | null {
  const { role, orgId } = p.viewer;
  if (role === "dj" || (p.status && !(LEAD_STATUSES as readonly string[]).includes(p.status))) return null;
  const buyer = role === "contractor" || role === "network";
  const ownTx = (winner: boolean) =>
    sql`exists (select 1 from transactions t join buyers b on b.id = t.buyer_id where t.lead_id = l.id and b.org_id = ${orgId}${winner ? sql` and t.is_winner` : sql``})`;
  const scope = role === "admin" ? sql`true` : buyer ? ownTx(false) : sql`l.seller_org_id = ${orgId}`;
  // A buyer sees the homeowner only once it bought the lead, and never the seller's own id.
  const contactSeen = buyer ? ownTx(true) : sql`true`;
  const name = sql`(l.contact->>'firstName') || ' ' || (l.contact->>'lastName')`;
  const match = terms
    ? any([
        terms.id ? sql`l.id = ${terms.id}::uuid` : null,
        terms.email ? sql`(${contactSeen} and l.email_normalized = ${terms.email})` : null,
        terms.phoneDigits
          ? sql`(${contactSeen} and l.phone_normalized like ${`%${likeEscape(terms.phoneDigits)}%`})`
          : null,
        terms.words && !terms.email ? sql`(${contactSeen} and ${name} ilike ${`%${likeEscape(terms.words)}%`})` : null,
        terms.words && !buyer ? sql`l.external_id = ${terms.words}` : null,
      ])
    : sql`true`;
  return sql`select 'auction' as kind, l.id, l.status::text as status, l.received_at as at,
      case when ${contactSeen} then ${name} end as name, l.vertical as what, l.zip as place,
      ${buyer ? sql`null::text` : sql`l.external_id`} as external_id
    from leads l
    where ${scope} and ${match}
      ${p.status ? sql`and l.status::text = ${p.status}` : sql``}
      ${p.from ? sql`and l.received_at >= ${p.from.toISOString()}::timestamptz` : sql``}
      ${p.to ? sql`and l.received_at < ${p.to.toISOString()}::timestamptz` : sql``}`;
}

function marketPart(p: SearchLeadsParams, terms: SearchTerms | null): SQL | null {
  const { role, orgId } = p.viewer;
  if (
    (role !== "admin" && role !== "dj") ||
    (p.status && !(MARKET_LEAD_STATES as readonly string[]).includes(p.status))
  )
    return null;
  const dj = role === "dj";
  // A DJ's leads are the ones offered to it (its inbox); their contact only once it unlocked it.
  const scope = dj
    ? sql`exists (select 1 from lead_assignments a join djs d on d.id = a.dj_id where a.lead_id = m.id and d.org_id = ${orgId})`
    : sql`true`;
  const contactSeen = dj
    ? sql`exists (select 1 from contact_unlocks u join djs d on d.id = u.dj_id where u.lead_id = m.id and d.org_id = ${orgId})`
    : sql`true`;
  const match = terms
    ? any([
        terms.id ? sql`m.id = ${terms.id}::uuid` : null,
        terms.email ? sql`(${contactSeen} and lower(m.contact->>'email') = ${terms.email})` : null,
        terms.phoneDigits
          ? sql`(${contactSeen} and regexp_replace(coalesce(m.contact->>'phone', ''), '\\D', '', 'g') like ${`%${likeEscape(terms.phoneDigits)}%`})`
          : null,
        terms.words && !terms.email
          ? sql`(${contactSeen} and m.contact->>'name' ilike ${`%${likeEscape(terms.words)}%`})`
          : null,
      ])
    : sql`true`;
  return sql`select 'market' as kind, m.id, m.state::text as status, m.created_at as at,
      case when ${contactSeen} then m.contact->>'name' end as name, m.event_type::text as what, m.city as place,
      null::text as external_id
    from market_leads m
    where ${scope} and ${match}
      ${p.status ? sql`and m.state::text = ${p.status}` : sql``}
      ${p.from ? sql`and m.created_at >= ${p.from.toISOString()}::timestamptz` : sql``}
      ${p.to ? sql`and m.created_at < ${p.to.toISOString()}::timestamptz` : sql``}`;
}

/** One page of hits, newest first, and the cursor of the next page (null on the last). */
export async function searchLeads(
  db: DbOrTx,
  p: SearchLeadsParams,
): Promise<{ items: LeadSearchHit[]; nextCursor: string | null }> {
  const terms = parseSearchText(p.text);
  const parts = [auctionPart(p, terms), marketPart(p, terms)].filter((x): x is SQL => x !== null);
  if (!parts.length) return { items: [], nextCursor: null };
  const [cursorAt, cursorId] = p.cursor && SEARCH_CURSOR.test(p.cursor) ? p.cursor.split("|") : [];
  const rows = rowsOf<LeadSearchHit>(
    await db.execute(sql`
    select kind, id, status, ${atText(sql`at`)} as at, name, what, place, external_id as "externalId"
    from (${sql.join(parts, sql` union all `)}) hits
    ${cursorAt ? sql`where (at, id) < (${cursorAt}::timestamptz, ${cursorId}::uuid)` : sql``}
    order by hits.at desc, id desc
    limit ${p.limit + 1}`),
  );
  const items = rows.slice(0, p.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > p.limit && last ? `${last.at}|${last.id}` : null };
}
