// What each party may see of a lead. Admin: everything. The seller that sent it: the outcome,
// its payout and the buyers' refusals of this lead by their rules (consent, hours, caps,
// duplicates), anonymous; never a buyer's identity or a buyer's bid, so no transactions and no
// sale price (the one rule of the seller portal, docs/sellers.md). A buyer org: only its own
// transactions, refusals, events and deliveries, never a competitor's identity, and the contact
// details only if it bought.
import {
  getLeadInScope,
  listLeadDeliveries,
  listLeadEvents,
  listLeadRefusals,
  listLeadsPage,
  listLeadTransactions,
  type LeadRow,
  type LeadScope,
} from "@leadflow/db";
import type { UserRole } from "@leadflow/engine";
import type { Services } from "../context";
import { emailReasonsFor } from "../email/outbox";
import type { LeadView } from "./answers";
import { AppError } from "../errors";

export interface Viewer {
  orgId: string;
  role: UserRole | "api";
}

const isBuyerRole = (r: Viewer["role"]) => r === "contractor" || r === "network" || r === "dj";

function scope(v: Viewer): LeadScope {
  if (v.role === "admin") return null;
  if (isBuyerRole(v.role)) return { buyerOrgId: v.orgId };
  return { sellerOrgId: v.orgId };
}

export async function getLeadView(s: Services, v: Viewer, leadId: string): Promise<LeadView> {
  return (await leadWithTransactions(s, v, leadId)).view;
}

async function leadWithTransactions(s: Services, v: Viewer, leadId: string) {
  const lead = await getLeadInScope(s.db, scope(v), leadId);
  if (!lead) throw new AppError("NOT_FOUND", "No such lead.");
  const txs = await listLeadTransactions(s.db, leadId);
  const admin = v.role === "admin";
  const buyerView = isBuyerRole(v.role);
  const own = new Set(txs.filter((x) => x.buyerOrgId === v.orgId).map((x) => x.t.buyerId));
  const bought = txs.some((x) => own.has(x.t.buyerId) && x.t.isWinner);
  const sellerView = !admin && !buyerView;
  const visible = buyerView ? txs.filter((x) => own.has(x.t.buyerId)) : sellerView ? [] : txs;
  let n = 0;
  const rows = visible.map(({ t, buyerName, buyerType }) => {
    const named = admin || own.has(t.buyerId);
    return {
      buyerId: named ? t.buyerId : null,
      buyer: named ? buyerName : `Buyer ${++n}`,
      buyerType,
      kind: t.kind,
      pingOutcome: t.pingOutcome,
      bidCents: t.bidCents,
      isWinner: t.isWinner,
      lostReason: t.lostReason,
      winningBidAmountCents: t.winningBidAmountCents,
      cascadePosition: t.cascadePosition,
      deliveryMethod: t.deliveryMethod,
      priceCents: t.priceCents,
      latencyMs: t.latencyMs,
      postLatencyMs: t.postLatencyMs,
      detail: admin || own.has(t.buyerId) ? t.detail : null,
      ...(admin ? { request: t.request, response: t.response, postResponse: t.postResponse, error: t.error } : {}),
      createdAt: t.createdAt,
    };
  });
  const refusals = (
    await refusalRows(s, leadId, admin ? null : buyerView ? { ownOrg: v.orgId } : { reasons: SELLER_REFUSALS })
  ).map((r) => {
    const named = admin || r.buyerOrgId === v.orgId;
    return {
      buyerId: named ? r.buyerId : null,
      buyer: named ? r.buyerName : `Buyer ${++n}`,
      buyerType: r.buyerType,
      reason: r.reason,
      detail: named ? r.detail : null,
      at: r.at,
    };
  });
  const showContact = admin || (!buyerView && lead.sellerOrgId === v.orgId) || bought;
  const out: LeadView = {
    id: lead.id,
    externalId: buyerView ? null : lead.externalId,
    status: lead.status,
    unsoldReason: buyerView ? null : lead.unsoldReason,
    vertical: lead.vertical,
    zip: lead.zip,
    state: lead.state,
    receivedAt: lead.receivedAt,
    finishedAt: lead.finishedAt,
    revenueCents: admin ? lead.revenueCents : null,
    payoutCents: buyerView ? null : lead.payoutCents,
    winnerCount: lead.winnerCount,
    contact: showContact ? lead.contact : null,
    consent: lead.consent,
    customFields: lead.customFields,
    transactions: rows,
    refusals,
  };
  return { view: out, ownIds: [...own] };
}

/**
 * The eligibility refusals a seller is shown: the rules of buyers that serve the lead's vertical and
 * area and would have bought it but for this lead or this moment (consent evidence, contact checks, hours, caps,
 * duplicates), the same codes a transaction's lostReason uses. Buyers that do not buy this area at
 * all (NOT_IN_AREA), are paused, or lack a price (NO_PRICE) are left out: that says nothing about
 * the lead, only how many buyers the platform has elsewhere and how they are set up.
 */
export const SELLER_REFUSALS = [
  "COMPLIANCE_MISSING",
  "VALIDATION_FAILED",
  "OUTSIDE_HOURS",
  "CAP_REACHED",
  "DUPLICATE_LEAD",
] as const;

/** The lead's refused eligibility verdicts (lead_events), with whose they are. */
function refusalRows(s: Services, leadId: string, only: { ownOrg: string } | { reasons: readonly string[] } | null) {
  return listLeadRefusals(s.db, leadId, only);
}

/**
 * What a seller sees of its lead's story: never a buyer's identity or bid (so not "ping_bids", nor
 * "return_credited", whose amount is the buyer's price), and none of the keys below in the rest.
 */
const SELLER_EVENT_KINDS = [
  "intake",
  "ping",
  "post",
  "outcome",
  "payout",
  "payout_reversed",
  "return_requested",
  "return_decided",
  "seller_webhook",
];
/** Event data a seller is not shown: prices, bids, margins and who the buyer was. */
const HIDDEN_FROM_SELLERS = new Set([
  "revenueCents",
  "marginCents",
  "priceCents",
  "bidCents",
  "bestBidCents",
  "bids",
  "buyerId",
  "buyerOrgId",
  "creditId",
  "note",
  "comment",
  "cascadeUnsold",
]);

/** The lead page: the view plus its timeline and deliveries, filtered the same way. */
export async function getLeadDetail(s: Services, v: Viewer, leadId: string) {
  const { view: out, ownIds } = await leadWithTransactions(s, v, leadId);
  const admin = v.role === "admin";
  const buyerView = isBuyerRole(v.role);
  const events = await listLeadEvents(
    s.db,
    leadId,
    admin ? null : buyerView ? { buyerIds: ownIds } : { kinds: SELLER_EVENT_KINDS },
  );
  const dels = await listLeadDeliveries(s.db, leadId, admin ? null : ownIds);
  // A buyer reads its email's failures in its own words; the relay's text (hosts, ports) is the admin's.
  const reasons = admin
    ? new Map<string, string | null>()
    : await emailReasonsFor(
        s,
        dels.filter((d) => d.method === "EMAIL").map((d) => d.id),
      );
  const ownWords = (e: (typeof events)[number]) => {
    if (!admin && !buyerView)
      return Object.fromEntries(Object.entries(e.data).filter(([k]) => !HIDDEN_FROM_SELLERS.has(k)));
    if (admin || e.kind !== "delivery" || e.data.method !== "EMAIL" || !("error" in e.data)) return e.data;
    const { error: _admins, ...rest } = e.data;
    return rest;
  };
  return {
    ...out,
    events: events.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      buyerId: admin || buyerView ? e.buyerId : null,
      data: ownWords(e),
    })),
    deliveries: dels.map((d) => ({
      id: d.id,
      buyerId: d.buyerId,
      method: d.method,
      status: d.status,
      attempts: d.attempts,
      lastError:
        admin || d.method !== "EMAIL"
          ? d.lastError
          : (reasons.get(d.id) ?? (d.lastError ? "The email could not be sent." : null)),
      webhookId: d.webhookId,
      nextAttemptAt: d.nextAttemptAt,
      deliveredAt: d.deliveredAt,
    })),
  };
}

export async function listLeads(
  s: Services,
  v: Viewer,
  q: { limit: number; before?: Date; status?: LeadRow["status"] },
) {
  const rows = await listLeadsPage(s.db, scope(v), q);
  const buyerView = isBuyerRole(v.role);
  const admin = v.role === "admin";
  // A buyer: not the seller, the sale price or why the lead went unsold; a seller: not the sale price.
  return rows.map((r) => ({
    ...r,
    revenueCents: admin ? r.revenueCents : null,
    unsoldReason: buyerView ? null : r.unsoldReason,
    sellerOrgId: buyerView ? null : r.sellerOrgId,
  }));
}
