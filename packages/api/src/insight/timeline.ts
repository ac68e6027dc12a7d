// The lead timeline (admins): everything recorded about one lead, in the order it happened.
// Auction leads read leads, lead_events, transactions and deliveries; marketplace leads read
// market_leads (score components), market_lead_events, lead_assignments and contact_unlocks.
// Events are passed through with their kind and data, so kinds added later (returns, calls) show
// up on the page without a change here.
import {
  auctionLeadExists,
  listConsentClaims,
  loadAuctionLeadTimeline,
  loadMarketLeadTimeline,
  type DbOrTx,
} from "@leadflow/db";
import { AppError } from "../errors";

/** The stages a timeline groups its events in (the dashboard has a word for each). */
export type TimelineStage =
  | "intake"
  | "score"
  | "eligibility"
  | "ping"
  | "cascade"
  | "outcome"
  | "delivery"
  | "phase"
  | "response"
  | "call"
  | "unlock"
  | "return"
  | "compliance"
  | "other";

/** The stage an event belongs to, for grouping on the page; unknown kinds are "other". */
const AUCTION_STAGE: Record<string, TimelineStage> = {
  intake: "intake",
  eligibility: "eligibility",
  ping: "ping",
  bid_set_aside: "ping",
  cascade_step: "cascade",
  sale_refused: "cascade",
  direct_claim: "cascade",
  outcome: "outcome",
  delivery: "delivery",
  error: "outcome",
  consent_claim: "compliance",
  litigator_check: "compliance",
  purged: "other",
};

export interface TimelineEntry {
  id: string;
  at: Date;
  kind: string;
  stage: TimelineStage;
  /** The buyer or DJ the entry is about, named (admins see everyone). */
  party: { id: string; name: string } | null;
  /** A recorded sentence, when the writer stored one (marketplace events). */
  message: string | null;
  data: Record<string, unknown>;
}

export async function auctionLeadTimeline(db: DbOrTx, leadId: string) {
  const loaded = await loadAuctionLeadTimeline(db, leadId);
  if (!loaded) throw new AppError("NOT_FOUND", "No such lead.");
  const { lead, events, txs, dels } = loaded;
  const claims = await listConsentClaims(db, leadId);
  const entries: TimelineEntry[] = events.map(({ e, name }) => ({
    id: `e${e.id}`,
    at: e.at,
    kind: e.kind,
    stage: AUCTION_STAGE[e.kind] ?? (e.kind.startsWith("return") ? "return" : "other"),
    party: e.buyerId ? { id: e.buyerId, name: name ?? "(deleted buyer)" } : null,
    message: null,
    data: e.data,
  }));
  return {
    kind: "auction" as const,
    lead: {
      id: lead.id,
      externalId: lead.externalId,
      status: lead.status,
      unsoldReason: lead.unsoldReason,
      vertical: lead.vertical,
      zip: lead.zip,
      state: lead.state,
      receivedAt: lead.receivedAt,
      processingAt: lead.processingAt,
      finishedAt: lead.finishedAt,
      revenueCents: lead.revenueCents,
      winnerCount: lead.winnerCount,
      contact: lead.contact,
      /** What validation made of the contact: the duplicate check compares these. */
      phoneNormalized: lead.phoneNormalized,
      emailNormalized: lead.emailNormalized,
      /** When retention purged the contact fields (only keyed hashes remain); null while kept. */
      purgedAt: lead.purgedAt,
      consent: lead.consent,
      /** The phone and email checks made at intake (null: a lead from before them). */
      validation: lead.validation,
      customFields: lead.customFields,
    },
    /**
     * Compliance receipts: what each consent provider answered when the lead's evidence was claimed
     * (docs/compliance.md). The provider's raw answer stays in the table, for an auditor.
     */
    receipts: claims.map((c) => ({
      provider: c.provider,
      stage: c.stage === "BEFORE_AUCTION" ? ("BEFORE_AUCTION" as const) : ("AT_SALE" as const),
      status: c.status,
      evidence: c.evidence,
      outcome: c.outcome,
      retainedUntil: c.retainedUntil,
      pageUrl: c.pageUrl,
      matched: c.matched,
      namesBuyer: c.namesBuyer,
      error: c.error,
      claimedAt: c.claimedAt,
    })),
    entries,
    transactions: txs.map(({ t, name, type }) => ({
      buyerId: t.buyerId,
      buyer: name,
      buyerType: type,
      kind: t.kind,
      pingOutcome: t.pingOutcome,
      bidCents: t.bidCents,
      latencyMs: t.latencyMs,
      postLatencyMs: t.postLatencyMs,
      isWinner: t.isWinner,
      lostReason: t.lostReason,
      winningBidAmountCents: t.winningBidAmountCents,
      cascadePosition: t.cascadePosition,
      deliveryMethod: t.deliveryMethod,
      priceCents: t.priceCents,
      detail: t.detail,
      error: t.error,
    })),
    deliveries: dels.map(({ d, name }) => ({
      id: d.id,
      buyerId: d.buyerId,
      buyer: name,
      method: d.method,
      status: d.status,
      attempts: d.attempts,
      /** Attempts after the first. */
      retries: Math.max(0, d.attempts - 1),
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt,
      deliveredAt: d.deliveredAt,
    })),
  };
}

const MARKET_STAGE: Record<string, TimelineStage> = {
  received: "intake",
  scored: "score",
  eligibility: "eligibility",
  phase_started: "phase",
  phase_skipped: "phase",
  phase_exhausted: "phase",
  concierge: "phase",
  concierge_assigned: "phase",
  offer_accepted: "response",
  offer_declined: "response",
  offer_ignored: "response",
  offers_expired: "response",
  converted: "outcome",
  closed: "outcome",
  contact_unlocked: "unlock",
  notification: "delivery",
};

export async function marketLeadTimeline(db: DbOrTx, leadId: string) {
  const loaded = await loadMarketLeadTimeline(db, leadId);
  if (!loaded) throw new AppError("NOT_FOUND", "No such lead.");
  const { lead, events, offers, unlocks } = loaded;
  const djNames = new Map<string, string>([
    ...offers.map((o) => [o.a.djId, o.name] as const),
    ...unlocks.map((u) => [u.u.djId, u.name] as const),
  ]);
  const entries: TimelineEntry[] = events.map((e) => {
    const djId = typeof e.data.djId === "string" ? e.data.djId : null;
    return {
      id: `m${e.seq}`,
      at: e.at,
      kind: e.kind,
      stage: MARKET_STAGE[e.kind] ?? (e.kind.startsWith("call") ? "call" : "other"),
      party: djId ? { id: djId, name: djNames.get(djId) ?? "DJ" } : null,
      message: e.message,
      data: e.data,
    };
  });
  // Unlocks are rows, not events: put them on the timeline where they happened.
  for (const { u, name } of unlocks) {
    if (entries.some((x) => x.kind === "contact_unlocked" && x.party?.id === u.djId)) continue;
    entries.push({
      id: `u${u.id}`,
      at: u.unlockedAt,
      kind: "contact_unlocked",
      stage: "unlock",
      party: { id: u.djId, name },
      message: `${name} unlocked the customer's contact.`,
      data: {},
    });
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    kind: "market" as const,
    lead: {
      id: lead.id,
      city: lead.city,
      state: lead.state,
      eventType: lead.eventType,
      eventDate: lead.eventDate,
      budgetMinCents: lead.budgetMinCents,
      budgetMaxCents: lead.budgetMaxCents,
      guestCount: lead.guestCount,
      leadState: lead.leadState,
      closeReason: lead.closeReason,
      conciergeReason: lead.conciergeReason,
      phase: lead.phase,
      formCompleteness: lead.formCompleteness,
      scoreTotal: lead.scoreTotal,
      scoreComponents: lead.scoreComponents ?? {},
      scoreExplanations: lead.scoreExplanations ?? {},
      createdAt: lead.createdAt,
      firstResponseAt: lead.firstResponseAt,
      acceptedAt: lead.acceptedAt,
      convertedAt: lead.convertedAt,
      bookingValueCents: lead.bookingValueCents,
    },
    entries,
    offers: offers.map(({ a, name }) => ({
      djId: a.djId,
      dj: name,
      phase: a.phase,
      status: a.status,
      offeredAt: a.offeredAt,
      windowEndsAt: a.windowEndsAt,
      respondedAt: a.respondedAt,
      responseTimeMs: a.responseTimeMs,
      quoteCents: a.quoteCents,
    })),
    unlocks: unlocks.map(({ u, name }) => ({ djId: u.djId, dj: name, at: u.unlockedAt })),
  };
}

/** Either kind of lead by id: the auction's first, then the marketplace's. */
export async function leadTimeline(db: DbOrTx, leadId: string) {
  if (await auctionLeadExists(db, leadId)) return auctionLeadTimeline(db, leadId);
  return marketLeadTimeline(db, leadId);
}
