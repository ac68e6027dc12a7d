// The seller portal (docs/sellers.md): a seller's figures for today, 7 and 30 days, its leads
// (filtered, paged, exported as CSV), one lead as the seller sees it, and its monthly statement.
// Everything is read for the caller's own organisation; another seller's lead is NOT_FOUND. What
// a seller sees of a lead's story is chosen here, kind by kind: never a buyer's name or id, never
// a bid, never what a buyer paid.
import {
  getSellerLead,
  listLeadRefusals,
  listSellerLeads,
  listSellerVerticals,
  sellerStatement,
  sellerStatementEntries,
  sellerStats,
  sellerTimeZone,
  type SellerLeadFilter,
} from "@leadflow/db";
import { localParts, type LeadStatus, type UnsoldReason } from "@leadflow/engine";
import type { Services } from "../context";
import { AppError } from "../errors";
import { csvDollars, csvLine } from "./csv";
import type { SellerLeadFilterInput } from "./portal-schemas";

const PERIODS = [
  { key: "today", days: 1 },
  { key: "7d", days: 7 },
  { key: "30d", days: 30 },
];

/**
 * Today, the last 7 and the last 30 days of the seller's own zone (today included), by when
 * LeadFlow received the lead. The boundaries are local midnights computed in SQL, so a week or a
 * month across a DST switch is 167 or 169 hours, not 168.
 */
export async function sellerHomeStats(s: Services, sellerOrgId: string) {
  const timeZone = await sellerTimeZone(s.db, sellerOrgId);
  const now = s.clock.now();
  const periods = await sellerStats(s.db, { sellerOrgId, timeZone, now, periods: PERIODS });
  return { timeZone, asOf: now.toISOString(), periods };
}

/** Today's date on the seller's clock (YYYY-MM-DD), for a download's file name. */
export async function sellerToday(s: Services, sellerOrgId: string): Promise<string> {
  const p = localParts(s.clock.now(), await sellerTimeZone(s.db, sellerOrgId));
  const two = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)}`;
}

/** The filter as the query reads it: the days are the seller's local days, `to` inclusive. */
export function toLeadFilter(sellerOrgId: string, timeZone: string, f: SellerLeadFilterInput): SellerLeadFilter {
  return {
    sellerOrgId,
    timeZone,
    status: f.status,
    vertical: f.vertical,
    fromDay: f.from,
    toDay: f.to,
    externalId: f.externalId,
    text: f.q,
  };
}

export async function sellerLeadsPage(
  s: Services,
  sellerOrgId: string,
  input: { filter: SellerLeadFilterInput; limit: number; cursor?: string | null },
) {
  const timeZone = await sellerTimeZone(s.db, sellerOrgId);
  const page = await listSellerLeads(s.db, toLeadFilter(sellerOrgId, timeZone, input.filter), {
    limit: input.limit,
    cursor: input.cursor,
  });
  return {
    timeZone,
    nextCursor: page.nextCursor,
    items: page.items.map((l) => ({
      id: l.id,
      externalId: l.externalId,
      status: l.status,
      unsoldReason: l.unsoldReason,
      vertical: l.vertical,
      zip: l.zip,
      receivedAt: l.receivedAt,
      receivedAtLocal: l.receivedAtLocal,
      paidCents: l.paidCents,
      reversedCents: l.reversedCents,
      earnedCents: l.paidCents + l.reversedCents,
      returned: l.returned,
    })),
  };
}

export async function sellerVerticals(s: Services, sellerOrgId: string) {
  return listSellerVerticals(s.db, sellerOrgId);
}

/** The lead-event kinds a seller's timeline is made of; every other kind concerns buyers. */
const SELLER_EVENT_KINDS = ["intake", "ping", "post", "outcome", "payout", "payout_reversed"] as const;

export type SellerTimelineEntry =
  | { at: string; kind: "received" }
  | { at: string; kind: "pinged"; accepted: boolean; payoutCents: number; expiresAt: string | null }
  | { at: string; kind: "posted" }
  | { at: string; kind: "sold" }
  | { at: string; kind: "unsold"; unsoldReason: UnsoldReason | null }
  | { at: string; kind: "rejected" }
  | { at: string; kind: "payout"; amountCents: number }
  | { at: string; kind: "return_requested"; reason: string }
  | { at: string; kind: "return_decided"; status: string }
  | { at: string; kind: "payout_reversed"; amountCents: number };

const STORY_ORDER: Record<SellerTimelineEntry["kind"], number> = {
  pinged: 0,
  received: 1,
  posted: 2,
  sold: 3,
  unsold: 3,
  rejected: 3,
  payout: 4,
  return_requested: 5,
  return_decided: 6,
  payout_reversed: 7,
};

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** One event, rebuilt from the fields a seller may see (never passed through whole). */
function sellerEntry(e: { at: string; kind: string; data: Record<string, unknown> }): SellerTimelineEntry | null {
  const d = e.data ?? {};
  switch (e.kind) {
    case "intake":
      return { at: e.at, kind: "received" };
    case "ping":
      return {
        at: e.at,
        kind: "pinged",
        accepted: d.accepted === true,
        payoutCents: num(d.payoutCents),
        expiresAt: typeof d.expiresAt === "string" ? d.expiresAt : null,
      };
    case "post":
      return { at: e.at, kind: "posted" };
    case "outcome":
      if (d.status === "SOLD") return { at: e.at, kind: "sold" };
      if (d.status === "UNSOLD")
        return { at: e.at, kind: "unsold", unsoldReason: (d.unsoldReason as UnsoldReason | null) ?? null };
      return d.status === "REJECTED" ? { at: e.at, kind: "rejected" } : null;
    case "payout":
      return { at: e.at, kind: "payout", amountCents: num(d.payoutCents) };
    case "payout_reversed":
      return { at: e.at, kind: "payout_reversed", amountCents: num(d.amountCents) };
    default:
      return null;
  }
}

export async function sellerLeadDetail(s: Services, sellerOrgId: string, leadId: string) {
  const [found, timeZone] = await Promise.all([
    getSellerLead(s.db, sellerOrgId, leadId, SELLER_EVENT_KINDS),
    sellerTimeZone(s.db, sellerOrgId),
  ]);
  if (!found) throw new AppError("NOT_FOUND", "No lead of yours has that id.");
  const { lead, events, returns, ledger } = found;
  // "Why was my lead worth less": buyers that turned it down for its contact checks or consent
  // evidence, anonymous (the engine's detail names no buyer), with what the checks found.
  const screened = await listLeadRefusals(s.db, leadId, { reasons: SCREEN_REASONS });
  const timeline: SellerTimelineEntry[] = events.map(sellerEntry).filter((x): x is SellerTimelineEntry => x !== null);
  for (const r of returns) {
    timeline.push({ at: r.requestedAt, kind: "return_requested", reason: r.reason });
    if (r.decidedAt) timeline.push({ at: r.decidedAt, kind: "return_decided", status: r.status });
  }
  // By time; at the same instant in the story's order (a return's decision and its reversal
  // commit together), then as recorded.
  const order = timeline.map((e, i) => ({ e, i }));
  order.sort((a, b) =>
    a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : STORY_ORDER[a.e.kind] - STORY_ORDER[b.e.kind] || a.i - b.i,
  );
  const paidCents = ledger.filter((x) => x.kind === "PAYOUT").reduce((a, x) => a + x.amountCents, 0);
  const reversedCents = ledger.filter((x) => x.kind === "PAYOUT_REVERSAL").reduce((a, x) => a + x.amountCents, 0);
  const c = lead.contact as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    timeZone,
    id: lead.id,
    externalId: lead.externalId,
    status: lead.status as LeadStatus,
    unsoldReason: lead.unsoldReason,
    vertical: lead.vertical,
    zip: lead.zip,
    state: lead.state,
    receivedAt: lead.receivedAt,
    finishedAt: lead.finishedAt,
    // What the seller itself sent, and nothing a buyer added.
    sent: {
      firstName: text(c.firstName),
      lastName: text(c.lastName),
      email: text(c.email),
      phone: text(c.phone),
      customFields: Object.keys(lead.customFields ?? {}).length,
    },
    paidCents,
    reversedCents,
    earnedCents: paidCents + reversedCents,
    returns: returns.map((r) => ({
      id: r.id,
      reason: r.reason,
      status: r.status,
      requestedAt: r.requestedAt,
      decidedAt: r.decidedAt,
    })),
    timeline: order.map((x) => x.e),
    validation: lead.validation,
    screened: screened.map((r) => ({ reason: r.reason as ScreenReason, detail: r.detail })),
  };
}

/** The refusals a seller can act on: its lead's contact checks and its consent evidence. */
const SCREEN_REASONS = ["VALIDATION_FAILED", "COMPLIANCE_MISSING"] as const;
type ScreenReason = (typeof SCREEN_REASONS)[number];

/** The statement by month of the seller's zone (a sale at 23:30 local on the 31st is that month's). */
export async function sellerMonths(s: Services, sellerOrgId: string) {
  const timeZone = await sellerTimeZone(s.db, sellerOrgId);
  return { timeZone, months: await sellerStatement(s.db, sellerOrgId, timeZone) };
}

// ---- CSV ----------------------------------------------------------------------------------------

const EXPORT_BATCH = 500;

export const LEADS_CSV_HEADER = [
  "lead_id",
  "external_id",
  "received_at",
  "status",
  "unsold_reason",
  "vertical",
  "zip",
  "state",
  "first_name",
  "last_name",
  "email",
  "phone",
  "payout_usd",
  "reversed_usd",
  "earned_usd",
  "returned",
] as const;

/**
 * The seller's leads that match the filter, as CSV lines (header first), newest first, read in
 * pages of 500 so a large export never sits in memory whole.
 */
export async function* sellerLeadsCsv(s: Services, sellerOrgId: string, f: SellerLeadFilterInput) {
  yield csvLine(LEADS_CSV_HEADER);
  const filter = toLeadFilter(sellerOrgId, await sellerTimeZone(s.db, sellerOrgId), f);
  let cursor: string | null = null;
  do {
    const page = await listSellerLeads(s.db, filter, { limit: EXPORT_BATCH, cursor });
    let chunk = "";
    for (const l of page.items) {
      chunk += csvLine([
        l.id,
        l.externalId,
        l.receivedAtLocal,
        l.status,
        l.unsoldReason,
        l.vertical,
        l.zip,
        l.state,
        l.firstName,
        l.lastName,
        l.email,
        l.phone,
        csvDollars(l.paidCents),
        csvDollars(l.reversedCents),
        csvDollars(l.paidCents + l.reversedCents),
        l.returned,
      ]);
    }
    if (chunk) yield chunk;
    cursor = page.nextCursor;
  } while (cursor);
}

export const STATEMENT_CSV_HEADER = ["booked_at", "entry", "lead_id", "external_id", "vertical", "amount_usd"] as const;

/** One month (of the seller's zone) of ledger entries as CSV, times on its clock, then a total line. */
export async function statementMonthCsv(s: Services, sellerOrgId: string, month: string): Promise<string> {
  const entries = await sellerStatementEntries(s.db, sellerOrgId, month, await sellerTimeZone(s.db, sellerOrgId));
  let out = csvLine(STATEMENT_CSV_HEADER);
  let total = 0;
  for (const e of entries) {
    total += e.amountCents;
    out += csvLine([
      e.at,
      e.kind === "PAYOUT" ? "payout" : "reversal",
      e.leadId,
      e.externalId,
      e.vertical,
      csvDollars(e.amountCents),
    ]);
  }
  out += csvLine(["total", null, null, null, null, csvDollars(total)]);
  return out;
}
