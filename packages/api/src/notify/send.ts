// Telling DJs of offers. Where an offer is written (startNextPhase), `queueOfferNotifications`
// writes one message per channel the DJ has on and queues its job in the same transaction (pg-boss's
// `db` option), so an offer and its messages commit together. Each job is one attempt:
// - the offer is no longer open (another DJ took the lead, the window ended, the DJ answered):
//   withdrawn, nothing sent;
// - the DJ's quiet hours: held, and the job queued again for the moment they end (the phase's
//   window is not changed; what is still open then is sent);
// - else sent on its channel; a failure is retried on `notifyRetry` until the schedule is spent.
// Every attempt and its result is a lead event, so the admin's timeline shows it.
import {
  bossDbOf,
  claimNotificationAttempt,
  deletePushSubscription,
  firstUserOfDj,
  getNotificationForSend,
  insertOfferNotificationsForOffers,
  listOverdueNotifications,
  listPushSubscriptionsOfDj,
  setNotificationState,
  type DjNotificationRow,
  type Tx,
} from "@leadflow/db";
import { isOpenRoutingState, quietHoursEnd, type NotifyChannel } from "@leadflow/engine";
import type PgBoss from "pg-boss";
import type { Services } from "../context";
import { queueMail, startEmail } from "../email/outbox";
import { recordLeadEvent } from "../marketplace/common";
import { ChannelError, sendPush, sendSms } from "./channels";
import { offerLinkUrl, signOfferLink } from "./link";
import { offerMessage } from "./offer-message";
import { notifyRetry } from "./settings";

export const NOTIFY_QUEUE = "dj-notify";
/** How long an attempt holds its message (longer than any channel's timeout). */
const LEASE_MS = 60_000;

const CHANNEL_WORDS: Record<NotifyChannel, string> = { email: "email", sms: "SMS", push: "push" };

/** Our own schedule retries a channel's failure; these retries cover a worker that threw. */
const JOB_RETRY = { retryLimit: 3, retryDelay: 5 } as const;

async function queueJob(boss: PgBoss, id: string, delaySeconds: number, db?: ReturnType<typeof bossDbOf>) {
  await boss.send(
    NOTIFY_QUEUE,
    { id },
    {
      ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
      ...JOB_RETRY,
      ...(db ? { db } : {}),
    },
  );
}

/** In the offer's transaction: a message per channel for each of these DJs' new offers, and its job. */
export async function queueOfferNotifications(
  tx: Tx,
  s: Pick<Services, "boss">,
  leadId: string,
  djIds: string[],
  now: Date,
): Promise<string[]> {
  const byLead = await queueOfferNotificationsForOffers(
    tx,
    s,
    djIds.map((djId) => ({ leadId, djId })),
    now,
  );
  return byLead.get(leadId) ?? [];
}

/**
 * queueOfferNotifications for the new offers of many leads (the timer sweeper's batch): the
 * messages in one statement and their jobs in one pg-boss insert, both in the offers' transaction.
 * Returns each lead's message ids.
 */
export async function queueOfferNotificationsForOffers(
  tx: Tx,
  s: Pick<Services, "boss">,
  offers: readonly { leadId: string; djId: string }[],
  now: Date,
): Promise<Map<string, string[]>> {
  const rows = await insertOfferNotificationsForOffers(tx, { offers, now });
  if (s.boss && rows.length > 0)
    await s.boss.insert(
      rows.map((r) => ({ name: NOTIFY_QUEUE, data: { id: r.id }, ...JOB_RETRY })),
      { db: bossDbOf(tx) },
    );
  const byLead = new Map<string, string[]>();
  for (const r of rows) byLead.set(r.leadId, [...(byLead.get(r.leadId) ?? []), r.id]);
  return byLead;
}

/**
 * After the offer's transaction commits: the first attempt at once, from this process, instead of
 * waiting for a worker's poll. The queued job stays the durable path (a crash here loses nothing)
 * and finds the attempt claimed, so a message is sent once either way.
 */
export function sendSoon(s: object, ids: readonly string[] | undefined): void {
  const svc = s as Services;
  if (!ids?.length || !svc.notify || !svc.boss) return;
  for (const id of ids)
    void attemptNotification(svc, id).catch((err: unknown) =>
      svc.log.warn({ err, notificationId: id }, "first notification attempt failed; the queue retries it"),
    );
}

type Loaded = NonNullable<Awaited<ReturnType<typeof getNotificationForSend>>>;

/** Why a message would no longer be sent, or null while its offer is open. */
export function withdrawnReason(x: Loaded, now: Date): string | null {
  if (x.offerStatus === "accepted" || x.offerStatus === "declined") return "the DJ already answered";
  if ((x.leadState === "accepted" || x.leadState === "converted") && x.acceptedDjId !== x.n.djId)
    return "another DJ took the lead";
  if (x.offerStatus === "ignored" || x.windowEndsAt.getTime() <= now.getTime()) return "the window ended";
  if (x.offerStatus === "withdrawn" || !isOpenRoutingState(x.leadState)) return "the lead closed";
  return null;
}

async function record(
  s: Services,
  x: Loaded,
  at: Date,
  attempt: number,
  result: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  await recordLeadEvent(s.db, at, x.n.leadId, "notification", message, {
    djId: x.n.djId,
    channel: x.n.channel,
    attempt,
    result,
    notificationId: x.n.id,
    ...extra,
  });
}

async function deliver(s: Services, x: Loaded, attempt: number, now: Date): Promise<Record<string, unknown>> {
  const notify = s.notify;
  if (!notify) throw new ChannelError("notifications are not configured on this server", true);
  const tz = x.settings?.timeZone ?? "America/Chicago";
  const userId = x.settings?.userId ?? (await firstUserOfDj(s.db, x.n.djId));
  if (!userId) throw new ChannelError("the DJ has no login to open the offer with", true);
  const expiresAt = new Date(now.getTime() + notify.linkTtlMinutes * 60_000);
  const url = offerLinkUrl(
    s.publicUrl,
    signOfferLink(notify.linkSecret, { offerId: x.n.assignmentId, userId, expiresAt }),
  );
  const msg = offerMessage({ ...x, timeZone: tz, url });
  switch (x.n.channel) {
    case "email": {
      const to = x.settings?.emailTo ?? x.djEmail;
      if (!to) throw new ChannelError("no email address in the DJ's settings", true);
      // The outbox keeps its own attempts (SMTP retries over hours); one email per message.
      const emailId = await queueMail(s, s.db, {
        kind: "dj_offer",
        to,
        subject: msg.subject,
        text: msg.text,
        html: msg.html,
        orgId: x.djOrgId,
        key: `dj-offer-${x.n.id}`,
      });
      await startEmail(s, emailId);
      return { emailId, outbox: !s.smtpUrl };
    }
    case "sms": {
      if (!notify.twilio) throw new ChannelError("SMS is not configured on this server", true);
      const to = x.settings?.smsTo;
      if (!to) throw new ChannelError("no mobile number in the DJ's settings", true);
      return await sendSms(notify.twilio, to, msg.short);
    }
    case "push": {
      const subs = await listPushSubscriptionsOfDj(s.db, x.n.djId);
      if (subs.length === 0) throw new ChannelError("no browser is subscribed for push", true);
      const payload = JSON.stringify({ title: msg.subject, body: msg.short, url: msg.url, tag: x.n.assignmentId });
      const ttl = (x.windowEndsAt.getTime() - now.getTime()) / 1000;
      const out = await sendPush(s, notify.vapid, subs, payload, ttl);
      for (const o of out) if ("gone" in o && o.gone) await deletePushSubscription(s.db, o.endpoint);
      const delivered = out.filter((o) => "status" in o && o.status >= 200 && o.status < 300).length;
      if (delivered > 0) return { browsers: delivered, of: subs.length };
      const allGone = out.every((o) => "gone" in o && o.gone);
      const why = out.map((o) => ("error" in o ? o.error : `HTTP ${o.status}`)).join("; ");
      throw new ChannelError(`push: ${why}`, allGone);
    }
  }
}

export type AttemptResult = "sent" | "held" | "withdrawn" | "failed" | "dead" | "skipped";

/** One attempt of one message (the queue's job). Safe to run twice: the attempt is claimed first. */
export async function attemptNotification(s: Services, id: string): Promise<AttemptResult> {
  const x = await getNotificationForSend(s.db, id);
  if (!x || !["queued", "held", "failed"].includes(x.n.status)) return "skipped";
  const now = s.clock.now();
  const channel = CHANNEL_WORDS[x.n.channel];
  const withdrawn = withdrawnReason(x, now);
  if (withdrawn) {
    const row = await setNotificationState(s.db, id, { status: "withdrawn", nextAttemptAt: null, error: withdrawn });
    if (row) await record(s, x, now, x.n.attempts, "withdrawn", `Not sent to ${x.djName} by ${channel}: ${withdrawn}.`);
    return "withdrawn";
  }
  if (x.n.status !== "held" || (x.n.nextAttemptAt && x.n.nextAttemptAt.getTime() > now.getTime())) {
    const quiet = x.settings?.quietStart
      ? { start: x.settings.quietStart, end: x.settings.quietEnd ?? "", timeZone: x.settings.timeZone }
      : null;
    const until = quietHoursEnd(now, quiet);
    if (until) {
      const row = await setNotificationState(s.db, id, { status: "held", nextAttemptAt: until });
      if (!row) return "skipped";
      if (x.n.status !== "held")
        await record(
          s,
          x,
          now,
          x.n.attempts,
          "held",
          `Held for ${x.djName}'s quiet hours: ${channel} at ${until.toISOString()}.`,
          {
            until: until.toISOString(),
          },
        );
      if (s.boss) await queueJob(s.boss, id, Math.ceil((until.getTime() - now.getTime()) / 1000));
      return "held";
    }
  }
  const claimed = await claimNotificationAttempt(s.db, id, x.n.attempts, now, new Date(now.getTime() + LEASE_MS));
  if (!claimed) return "skipped";
  const attempt = claimed.attempts;
  try {
    const detail = await deliver(s, x, attempt, now);
    const at = s.clock.now();
    await setNotificationState(s.db, id, { status: "sent", sentAt: at, nextAttemptAt: null, error: null, detail });
    await record(s, x, at, attempt, "sent", `Told ${x.djName} by ${channel} (attempt ${attempt}).`, {
      latencyMs: at.getTime() - x.n.createdAt.getTime(),
    });
    return "sent";
  } catch (err) {
    const at = s.clock.now();
    const permanent = err instanceof ChannelError ? err.permanent : false;
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    const wait = permanent ? undefined : notifyRetry.delaysSeconds[attempt - 1];
    const next = wait === undefined ? null : new Date(at.getTime() + wait * 1000);
    await setNotificationState(s.db, id, { status: next ? "failed" : "dead", nextAttemptAt: next, error });
    await record(
      s,
      x,
      at,
      attempt,
      next ? "failed" : "dead",
      next
        ? `${channel} to ${x.djName} failed (attempt ${attempt}: ${error}); trying again at ${next.toISOString()}.`
        : `${channel} to ${x.djName} failed (attempt ${attempt}: ${error}); not tried again.`,
      { error, ...(next ? { nextAttemptAt: next.toISOString() } : {}) },
    );
    s.log.warn(
      { notificationId: id, leadId: x.n.leadId, channel: x.n.channel, attempt, error },
      "DJ notification failed",
    );
    if (next && s.boss) await queueJob(s.boss, id, wait!);
    return next ? "failed" : "dead";
  }
}

/** Messages whose job was lost (a crash between commit and the queue): queued again. */
export async function sweepNotifications(s: Services, graceMs = 60_000): Promise<number> {
  const lost = await listOverdueNotifications(s.db, new Date(s.clock.now().getTime() - graceMs));
  for (const n of lost) {
    if (s.boss) await queueJob(s.boss, n.id, 0);
    else await attemptNotification(s, n.id);
  }
  return lost.length;
}

export type { DjNotificationRow };
