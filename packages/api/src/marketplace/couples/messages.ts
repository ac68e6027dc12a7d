// The thread between the couple and each DJ who quoted. Either side writes; the other is told by
// email. Until the DJ has unlocked the couple's contact or the couple has chosen the DJ, email
// addresses and phone numbers are replaced in the stored text (both ways: neither the couple's
// contact nor the DJ's may pass around the unlock or the booking).
import { getCoupleLead, getOfferOfDj, hasContactUnlock, insertLeadMessage, listLeadMessages } from "@leadflow/db";
import type { Services } from "../../context";
import { AppError } from "../../errors";
import { getDJResponsesForLead } from "../blast";
import { leadOfToken } from "./choose";
import { sendCoupleMessageNotice, sendDjMessageNotice } from "./notify";
import { redactContact } from "./redact";

/** Messages are possible with a DJ who accepted (quoted); contact may pass once unlocked or chosen. */
async function threadState(s: Pick<Services, "db">, leadId: string, djId: string) {
  const lead = await getCoupleLead(s.db, leadId);
  const offer = await getOfferOfDj(s.db, leadId, djId);
  if (!lead || !offer) return null;
  const chosen = lead.leadState === "converted" && lead.convertedDjId === djId;
  const open = contactOpen(chosen, await hasContactUnlock(s.db, djId, leadId));
  return { lead, offer, open, chosen };
}

export const contactOpen = (chosen: boolean, unlocked: boolean) => chosen || unlocked;

async function write(s: Services, leadId: string, djId: string, sender: "couple" | "dj", body: string) {
  const t = await threadState(s, leadId, djId);
  if (!t || t.offer.status !== "accepted")
    throw new AppError(
      "NOT_FOUND",
      sender === "couple" ? "You can write to a DJ once they have quoted." : "That lead was not offered to you.",
    );
  if (t.lead.leadState === "converted" && !t.chosen)
    throw new AppError("CONFLICT", "The couple booked another DJ; this conversation is closed.");
  const r = t.open ? { text: body, redacted: false } : redactContact(body);
  const row = await insertLeadMessage(s.db, {
    leadId,
    djId,
    sender,
    body: r.text,
    redacted: r.redacted,
    createdAt: s.clock.now(),
  });
  const notify = sender === "couple" ? sendDjMessageNotice : sendCoupleMessageNotice;
  await notify(s, leadId, djId, row.id).catch((err: unknown) =>
    s.log.error({ err, leadId, djId }, "could not send the message notice"),
  );
  return { id: row.id, body: row.body, redacted: row.redacted, createdAt: row.createdAt };
}

export async function coupleSendMessage(s: Services, input: { token: string; djId: string; body: string }) {
  return write(s, await leadOfToken(s, input.token), input.djId, "couple", input.body);
}

export async function djSendMessage(s: Services, input: { djId: string; leadId: string; body: string }) {
  return write(s, input.leadId, input.djId, "dj", input.body);
}

/** The couple's page: the quotes, the DJ they booked (if any) and their threads. */
export async function coupleComparison(s: Services, token: string) {
  const page = await getDJResponsesForLead(s, token);
  const leadId = await leadOfToken(s, token);
  const lead = await getCoupleLead(s.db, leadId);
  return {
    ...page,
    bookedDjId: lead?.leadState === "converted" ? lead.convertedDjId : null,
    messages: await listLeadMessages(s.db, leadId),
  };
}

/** One DJ's thread with the couple (only a DJ the lead was offered to). */
export async function djThread(s: Services, input: { djId: string; leadId: string }) {
  const offer = await getOfferOfDj(s.db, input.leadId, input.djId);
  if (!offer) throw new AppError("NOT_FOUND", "That lead was not offered to you.");
  return listLeadMessages(s.db, input.leadId, input.djId);
}
