// The couple's messages and the DJs' messages about the couple: every email through the one
// outbox (`sendMail`: the email_outbox row, then the delivery queue with its retries), and the
// couple's optional SMS through the `couple-sms` pg-boss queue (retried with backoff; a refusal
// from the provider is final). Each message is keyed, so repeating a step never sends twice.
import { getCoupleLead, getDjMailTarget } from "@leadflow/db";
import { formatCents } from "@leadflow/engine";
import type PgBoss from "pg-boss";
import type { Services } from "../../context";
import { sendMail } from "../../email/outbox";
import { ChannelError, sendSms } from "../../notify/channels";
import { compareUrl, signCompareToken } from "./token";

export const COUPLE_SMS_QUEUE = "couple-sms";

const esc = (t: string) =>
  t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function mail(lines: string[], link?: { url: string; label: string }) {
  const text = [...lines, ...(link ? ["", `${link.label}: ${link.url}`] : [])].join("\n");
  const html = [
    ...lines.map((l) => `<p>${esc(l)}</p>`),
    ...(link ? [`<p><a href="${esc(link.url)}">${esc(link.label)}</a></p>`] : []),
  ].join("\n");
  return { text, html };
}

const what = (l: { eventType: string; city: string; eventDate: string }) =>
  `${l.eventType.replace(/_/g, " ")} in ${l.city} on ${l.eventDate}`;

/** The comparison link of a lead, or null when the server has no link secret (then no link is mailed). */
export function compareLinkOf(s: Pick<Services, "notify" | "publicUrl">, leadId: string): string | null {
  const secret = s.notify?.linkSecret;
  return secret ? compareUrl(s.publicUrl, signCompareToken(secret, leadId)) : null;
}

async function smsCouple(s: Services, to: string | null | undefined, body: string, key: string): Promise<void> {
  if (!to || !s.notify?.twilio) return;
  if (s.boss) {
    await s.boss.send(
      COUPLE_SMS_QUEUE,
      { to, body },
      { singletonKey: key, retryLimit: 6, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
    );
    return;
  }
  await sendSms(s.notify.twilio, to, body).catch((err: unknown) =>
    s.log.warn({ err, key }, "couple SMS failed (no queue to retry it)"),
  );
}

/** At the inquiry: the link back to the quotes, by email at once (and SMS when a phone was given). */
export async function sendCoupleCompareLink(s: Services, leadId: string, url: string): Promise<void> {
  const lead = await getCoupleLead(s.db, leadId);
  if (!lead) return;
  const lines = [
    `Hi ${lead.contact.name},`,
    `We have your inquiry for a ${what(lead)} and are asking the best available DJs now.`,
    "Each quote appears on your comparison page as it arrives, and we'll email you when it does. Keep this link: it is your private page.",
  ];
  if (lead.contact.email)
    await sendMail(s, {
      kind: "couple",
      to: lead.contact.email,
      subject: `Your DJ quotes for ${lead.eventDate}`,
      ...mail(lines, { url, label: "Compare your quotes" }),
      leadId: null,
      key: `couple-link-${leadId}`,
    });
  await smsCouple(
    s,
    lead.contact.phone,
    `LeadFlow: DJs are quoting your ${what(lead)}. Compare: ${url}`,
    `link-${leadId}`,
  );
}

/** A DJ accepted with a quote: the couple hears at once, with the link. */
export async function sendCoupleQuoteNotice(s: Services, leadId: string, djId: string, quoteCents: number | null) {
  const lead = await getCoupleLead(s.db, leadId);
  const dj = await getDjMailTarget(s.db, djId);
  const url = compareLinkOf(s, leadId);
  if (!lead || !dj || !url) return;
  const price = quoteCents != null ? ` for ${formatCents(quoteCents)}` : "";
  const lines = [`Hi ${lead.contact.name},`, `${dj.name} can play your ${what(lead)}${price}.`];
  if (lead.contact.email)
    await sendMail(s, {
      kind: "couple",
      to: lead.contact.email,
      subject: `New quote from ${dj.name}`,
      ...mail(lines, { url, label: "Compare your quotes" }),
      key: `couple-quote-${leadId}-${djId}`,
    });
  await smsCouple(
    s,
    lead.contact.phone,
    `LeadFlow: new quote from ${dj.name}${price}. ${url}`,
    `quote-${leadId}-${djId}`,
  );
}

/** The DJ answered in the thread: the couple hears, with the link (never the DJ's address). */
export async function sendCoupleMessageNotice(s: Services, leadId: string, djId: string, messageId: string) {
  const lead = await getCoupleLead(s.db, leadId);
  const dj = await getDjMailTarget(s.db, djId);
  const url = compareLinkOf(s, leadId);
  if (!lead || !dj || !url || !lead.contact.email) return;
  await sendMail(s, {
    kind: "couple",
    to: lead.contact.email,
    subject: `${dj.name} sent you a message`,
    ...mail([`Hi ${lead.contact.name},`, `${dj.name} wrote to you about your ${what(lead)}.`], {
      url,
      label: "Read and reply",
    }),
    key: `couple-msg-${messageId}`,
  });
}

/** The couple wrote: the DJ hears, with a link to the inbox (after sign-in). */
export async function sendDjMessageNotice(s: Services, leadId: string, djId: string, messageId: string) {
  const lead = await getCoupleLead(s.db, leadId);
  const dj = await getDjMailTarget(s.db, djId);
  if (!lead || !dj?.email) return;
  await sendMail(s, {
    kind: "dj_offer",
    to: dj.email,
    orgId: dj.orgId,
    subject: `A couple wrote about the ${lead.eventDate} ${lead.eventType.replace(/_/g, " ")}`,
    ...mail([`Hi ${dj.name},`, `The couple of the ${what(lead)} sent you a message.`], {
      url: `${s.publicUrl.replace(/\/+$/, "")}/?lead=${leadId}`,
      label: "Open your inbox",
    }),
    key: `dj-msg-${messageId}`,
  });
}

/** The couple booked another DJ: each DJ who quoted hears that the date is free again. */
export async function sendDjChoseOtherNotice(s: Services, leadId: string, djId: string) {
  const lead = await getCoupleLead(s.db, leadId);
  const dj = await getDjMailTarget(s.db, djId);
  if (!lead || !dj?.email) return;
  await sendMail(s, {
    kind: "dj_offer",
    to: dj.email,
    orgId: dj.orgId,
    subject: `The couple of ${lead.eventDate} booked another DJ`,
    ...mail([
      `Hi ${dj.name},`,
      `Thank you for quoting the ${what(lead)}. The couple chose another DJ, so this lead is closed and your date is free again.`,
    ]),
    key: `dj-other-${leadId}-${djId}`,
  });
}

/** The couple-sms worker: a transient failure throws (pg-boss retries), a refusal is final. */
export async function registerCoupleJobs(boss: PgBoss, s: Services): Promise<void> {
  await boss.createQueue(COUPLE_SMS_QUEUE);
  await boss.work<{ to: string; body: string }>(COUPLE_SMS_QUEUE, async ([job]) => {
    if (!job || !s.notify?.twilio) return;
    try {
      await sendSms(s.notify.twilio, job.data.to, job.data.body);
    } catch (err) {
      if (err instanceof ChannelError && err.permanent) {
        s.log.warn({ err: err.message }, "couple SMS refused by the provider; not retried");
        return;
      }
      throw err;
    }
  });
}
