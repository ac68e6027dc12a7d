// The multi-DJ blast: one public form → a scored, routed lead → DJ answers on a comparison page
// the customer reaches by an unguessable link. DJ contact details never leave through here.
import { getComparisonLead, insertMarketLead, listComparisonAnswers } from "@leadflow/db";
import { calculateFormCompleteness, type EventType } from "@leadflow/engine";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { getVirtualNumberForDJ } from "../calls/numbers";
import { AppError } from "../errors";
import { recordLeadEvent, type MarketServices } from "./common";
import { countFunnel } from "./funnel";
import { routeLeadTx, schedulePhaseTimer } from "./routing";
import { sendCoupleCompareLink } from "./couples/notify";
import { compareUrl, signCompareToken, verifyCompareToken } from "./couples/token";

export interface InquiryInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  city: string;
  state?: string | null;
  eventType: EventType;
  eventDate: string;
  budgetMinCents?: number | null;
  budgetMaxCents?: number | null;
  guestCount?: number | null;
  venueName?: string | null;
  startTime?: string | null;
  durationHours?: number | null;
  musicPreferences?: string | null;
  notes?: string | null;
  fromCalculator?: boolean;
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates, scores and routes the lead in one transaction; returns the customer's comparison link. */
export async function processMultiDJInquiry(s: MarketServices, input: InquiryInput) {
  // The link is signed (couples/token.ts) so later emails can carry it again; without a link
  // secret, 128 random bits. Only the hash is stored: the database alone cannot open the page.
  const id = randomUUID();
  const secret = s.notify?.linkSecret;
  const token = secret ? signCompareToken(secret, id) : randomBytes(16).toString("base64url");
  const lead = {
    contact: { name: input.name, email: input.email ?? null, phone: input.phone ?? null },
    city: input.city,
    state: input.state ?? null,
    eventType: input.eventType,
    eventDate: input.eventDate,
    budgetMinCents: input.budgetMinCents ?? null,
    budgetMaxCents: input.budgetMaxCents ?? null,
    guestCount: input.guestCount ?? null,
    venueName: input.venueName ?? null,
    startTime: input.startTime ?? null,
    durationHours: input.durationHours ?? null,
    musicPreferences: input.musicPreferences ?? null,
    notes: input.notes ?? null,
  };
  const formCompleteness = calculateFormCompleteness({
    ...lead,
    contactName: input.name,
    contactEmail: input.email,
    contactPhone: input.phone,
  });
  const now = s.clock.now();
  const { leadId, next } = await s.db.transaction(async (tx) => {
    const row = await insertMarketLead(tx, {
      id,
      ...lead,
      formCompleteness: Math.round(formCompleteness * 1000) / 1000,
      comparisonTokenHash: hashToken(token),
      fromCalculator: input.fromCalculator ?? false,
      createdAt: now,
    });
    await recordLeadEvent(
      tx,
      now,
      row.id,
      "received",
      `Inquiry received for a ${input.eventType.replace("_", " ")} in ${input.city} on ${input.eventDate}.`,
    );
    await countFunnel(tx, now, input.city, "inquiry");
    if (input.fromCalculator) await countFunnel(tx, now, input.city, "inquiry_from_calculator");
    return { leadId: row.id, next: await routeLeadTx(tx, s, row.id) };
  });
  await schedulePhaseTimer(s, next);
  s.log.info({ leadId }, "inquiry routed");
  const comparisonUrl = compareUrl(s.publicUrl, token);
  // The couple's link by email at once (and SMS with a phone), through the outbox and its queue.
  await sendCoupleCompareLink(s, leadId, comparisonUrl).catch((err: unknown) =>
    s.log.error({ err, leadId }, "could not send the couple their comparison link"),
  );
  return { leadId, token, comparisonUrl };
}

/**
 * What the customer's comparison page shows: the lead's summary and the DJs who accepted, with
 * their quote and message. Selected column by column so no contact field can slip in.
 */
export async function getDJResponsesForLead(s: MarketServices, token: string) {
  // A signed token is checked before the table is read (couples/token.ts).
  const signedOk = !token.includes(".") || (!!s.notify?.linkSecret && !!verifyCompareToken(s.notify.linkSecret, token));
  const lead = signedOk ? await getComparisonLead(s.db, hashToken(token)) : undefined;
  if (!lead) throw new AppError("NOT_FOUND", "We couldn't find that comparison page. Check the link you were sent.");
  const answers = await listComparisonAnswers(s.db, lead.id);
  const { id: _id, ...summary } = lead;
  return {
    lead: summary,
    // A DJ's tracking number (rotating through their pool), never their own phone.
    responses: await Promise.all(
      answers
        .filter((a) => a.status === "accepted")
        .map(async ({ status: _s, ...a }) => ({
          ...a,
          trackingNumber: await getVirtualNumberForDJ(s.db, s.clock, a.djId),
        })),
    ),
    waitingOn: answers.filter((a) => a.status === "offered").length,
  };
}
