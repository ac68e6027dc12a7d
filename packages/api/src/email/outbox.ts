// The one way the project sends email. `sendMail` writes the email into `email_outbox` (its
// Message-ID fixed there, before any attempt) and hands it to the delivery queue; each attempt
// marks the row `sending` in a committed write, talks to SMTP_URL, then records the answer:
// - accepted: sent (and a lead delivery delivered);
// - a transient refusal (4xx, a connection or timeout error): failed, with the next attempt at
//   `emailRetry.delaysSeconds[n]` after it (a bounded schedule over hours), then dead;
// - a permanent refusal (5xx: no such mailbox, policy): dead at once, with the reason.
// At most one email per row, even across a crash: a row found `sending` by a later attempt or the
// sweep (its process died between handing the message to SMTP and recording the answer) may or
// may not have reached the relay, so it is never resent on its own: it becomes `unknown`, and a
// person resends it from the Outbox page, with the same Message-ID (a receiver that deduplicates
// by Message-ID drops a repeat). Without SMTP_URL the row stays `outbox` and nothing is sent.
import {
  claimOutboxForSending,
  getDelivery,
  getOutbox,
  getOutboxIdByMessageId,
  insertLeadEvent,
  insertOutboxIfAbsent,
  listOutboxOfDeliveries,
  listOutboxPage,
  listOverdueOutbox,
  markOutboxFailed,
  markOutboxSent,
  markOutboxUnknown,
  outboxExists,
  reopenDeadDelivery,
  requeueOutbox,
  type DbOrTx,
  type OutboxRow,
  type Tx,
} from "@leadflow/db";
import nodemailer, { type Transporter } from "nodemailer";
import { randomUUID } from "node:crypto";
import type { Services } from "../context";
import { markDelivered, markFailed } from "../auction/delivery-record";
import { errorText } from "../auction/http";
import { queueDeliveryJob } from "../auction/queues";

/** Mutable so tests can retry within seconds. */
export const emailRetry = {
  /** Wait after the 1st, 2nd, … failed attempt; one more failure after the last is dead (about 8 h in all). */
  delaysSeconds: [60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400],
  /** An attempt `sending` for longer than this has lost its process (the SMTP timeouts add up to less). */
  staleSendingMs: 5 * 60_000,
};

/** SMTP timeouts: a relay that hangs fails the attempt (and it is retried) instead of holding it. */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export const FALLBACK_FROM = "LeadFlow <leads@leadflow.invalid>";

export type MailKind = "lead" | "dj_offer" | "couple" | "low_balance" | "seller" | (string & {});

export interface Mail {
  kind: MailKind;
  to: string;
  subject: string;
  html: string;
  text: string;
  orgId?: string | null;
  leadId?: string | null;
  /** The lead delivery (method EMAIL) this email is. */
  deliveryId?: string;
  /** Idempotency key: the same key makes the same Message-ID, and a second sendMail is a no-op. */
  key?: string;
}

function domainOf(s: Services): string {
  const addr = s.smtpFrom ? (/<([^<>]+)>/.exec(s.smtpFrom)?.[1] ?? s.smtpFrom) : "";
  const at = addr.lastIndexOf("@");
  if (at > 0)
    return addr
      .slice(at + 1)
      .trim()
      .toLowerCase();
  try {
    return new URL(s.publicUrl).hostname || "leadflow.invalid";
  } catch {
    return "leadflow.invalid";
  }
}

/** `<key@sender-domain>`: the delivery id (or the caller's key) makes it, so it never changes. */
export const messageIdFor = (s: Services, key: string) => `<${key.replace(/[^A-Za-z0-9._-]/g, "-")}@${domainOf(s)}>`;

/**
 * Writes the email (status queued, or outbox without SMTP_URL) and returns its id; an email with
 * the same key or delivery already written is returned as it is. Inside a transaction, call
 * `startEmail` after the commit (a start that is lost is found by the sweep).
 */
export async function queueMail(s: Services, db: DbOrTx, m: Mail): Promise<string> {
  const messageId = messageIdFor(s, m.deliveryId ?? m.key ?? randomUUID());
  const made = await insertOutboxIfAbsent(db, {
    orgId: m.orgId ?? null,
    leadId: m.leadId ?? null,
    deliveryId: m.deliveryId ?? null,
    kind: m.kind,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId,
    status: s.smtpUrl ? "queued" : "outbox",
    createdAt: s.clock.now(),
  });
  if (made) return made;
  const had = await getOutboxIdByMessageId(db, messageId);
  if (!had) throw new Error(`email ${messageId} was neither written nor found`);
  return had;
}

/** Hands the email to the queue (at `at`, else now), or tries once inline where there is no queue. */
export async function startEmail(s: Services, emailId: string, at?: Date): Promise<void> {
  if (!s.smtpUrl) return;
  if (s.boss) await queueDeliveryJob(s.boss, { emailId }, at, s.clock.now());
  else await attemptEmail(s, emailId);
}

/** Every email the project sends goes through here: the outbox, then the queue with retries. */
export async function sendMail(s: Services, m: Mail): Promise<string> {
  const id = await queueMail(s, s.db, m);
  await startEmail(s, id);
  return id;
}

const transports = new Map<string, Transporter>();
function transport(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
    transports.set(url, t);
  }
  return t;
}

/** Closes the pooled SMTP connections (tests, shutdown). */
export function closeMailTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

export interface SmtpVerdict {
  permanent: boolean;
  code: number | null;
  error: string;
}

/** 5xx is permanent (RFC 5321); 4xx, connection and timeout errors are transient. */
export function classifySmtpError(err: unknown): SmtpVerdict {
  const raw = (err as { responseCode?: unknown } | null)?.responseCode;
  const code = typeof raw === "number" && raw >= 200 && raw < 600 ? raw : null;
  const e = err as { code?: unknown } | null;
  const tag = typeof e?.code === "string" ? ` (${e.code})` : "";
  return { permanent: code !== null && code >= 500, code, error: `${errorText(err)}${tag}`.slice(0, 1000) };
}

/** The next attempt after `attempts` failures, or null when the schedule is spent. */
export function nextEmailAttempt(attempts: number, now: Date): Date | null {
  const wait = emailRetry.delaysSeconds[attempts - 1];
  return wait === undefined ? null : new Date(now.getTime() + wait * 1000);
}

/** What a buyer reads about its email (never a host, port or the relay's text). */
export function emailReason(m: Pick<OutboxRow, "status" | "responseCode" | "attempts" | "to">): string | null {
  switch (m.status) {
    case "failed":
      return "The email could not be sent yet; LeadFlow will try again.";
    case "dead":
      if (m.responseCode && m.responseCode >= 500)
        return `The mail server refused the address ${m.to}. Check the notification email in your delivery settings.`;
      if (!m.to) return "No notification email address is set. Add one in your delivery settings.";
      return `The email could not be sent after ${m.attempts} attempt${m.attempts === 1 ? "" : "s"}.`;
    case "unknown":
      return "Sending was interrupted, so the email may not have arrived. It is not sent again on its own.";
    default:
      return null;
  }
}

async function deliveryOf(db: DbOrTx, m: Pick<OutboxRow, "deliveryId">) {
  if (!m.deliveryId) return null;
  return (await getDelivery(db, m.deliveryId)) ?? null;
}

/** A row left `sending` by a dead process: `unknown`, never resent on its own (see the top). */
async function markUnknown(s: Services, m: OutboxRow): Promise<void> {
  const error = "the process stopped while sending: the relay may or may not have the message";
  await s.db.transaction(async (tx) => {
    const hit = await markOutboxUnknown(tx, m, error);
    if (!hit) return;
    const d = await deliveryOf(tx, m);
    if (d && d.status !== "delivered")
      await markFailed(s, d, hit.attempts, error, null, emailReason(hit) ?? undefined, tx);
  });
  s.log.warn(
    { emailId: m.id, messageId: m.messageId },
    "email found sending after a crash; marked unknown, not resent",
  );
}

/** One attempt. Safe to call again at any time: only a queued or due failed row is claimed. */
export async function attemptEmail(s: Services, emailId: string): Promise<void> {
  const smtpUrl = s.smtpUrl;
  if (!smtpUrl) return;
  const now = s.clock.now();
  const m = await getOutbox(s.db, emailId);
  if (!m) return;
  if (m.status === "sending") {
    if (!m.sendingAt || now.getTime() - m.sendingAt.getTime() > emailRetry.staleSendingMs) await markUnknown(s, m);
    return;
  }
  // Claimed in a committed write before SMTP hears of it: this is what a crash leaves behind.
  const claimed = await claimOutboxForSending(s.db, emailId, now, new Date(now.getTime() + 2000));
  if (!claimed) return;
  let verdict: SmtpVerdict | null = null;
  if (!claimed.to) verdict = { permanent: true, code: null, error: "no recipient address" };
  else {
    try {
      await transport(smtpUrl).sendMail({
        from: s.smtpFrom ?? FALLBACK_FROM,
        ...(s.smtpReplyTo ? { replyTo: s.smtpReplyTo } : {}),
        to: claimed.to,
        subject: claimed.subject,
        text: claimed.text,
        ...(claimed.html ? { html: claimed.html } : {}),
        messageId: claimed.messageId ?? messageIdFor(s, claimed.id),
        headers: { "Auto-Submitted": "auto-generated", "X-LeadFlow-Email": claimed.id },
      });
    } catch (err) {
      verdict = classifySmtpError(err);
    }
  }
  const at = s.clock.now();
  if (!verdict) {
    await s.db.transaction(async (tx) => {
      await markOutboxSent(tx, emailId, at);
      const d = await deliveryOf(tx, claimed);
      if (d) await markDelivered(s, d, "EMAIL", claimed.attempts, undefined, tx);
    });
    return;
  }
  const next = verdict.permanent ? null : nextEmailAttempt(claimed.attempts, at);
  const status = next ? "failed" : "dead";
  await s.db.transaction(async (tx) => {
    const row = await markOutboxFailed(tx, emailId, {
      status,
      error: verdict.error,
      responseCode: verdict.code,
      nextAttemptAt: next,
    });
    const d = row ? await deliveryOf(tx, claimed) : null;
    if (row && d) await markFailed(s, d, claimed.attempts, verdict.error, next, emailReason(row) ?? undefined, tx);
  });
  s.log.warn(
    { emailId, attempts: claimed.attempts, next, error: verdict.error },
    next ? "email failed; will retry" : "email dead",
  );
  if (next && s.boss) await queueDeliveryJob(s.boss, { emailId }, next, s.clock.now());
}

/**
 * A person sends a dead (or unknown) email again: queued anew with a fresh schedule and the same
 * Message-ID; the lead's timeline records who did it.
 */
export async function resendEmail(
  s: Services,
  emailId: string,
  by: { userId: string; role: string; orgId: string },
): Promise<{ resent: boolean; found: boolean }> {
  const now = s.clock.now();
  const visibleTo = by.role === "admin" ? null : by.orgId;
  const row = await s.db.transaction(async (tx: Tx) => {
    const m = await requeueOutbox(tx, emailId, visibleTo);
    if (!m) return null;
    const d = await deliveryOf(tx, m);
    if (d) await reopenDeadDelivery(tx, d.id);
    if (m.leadId) {
      await insertLeadEvent(tx, {
        leadId: m.leadId,
        at: now,
        kind: "delivery",
        buyerId: d?.buyerId ?? null,
        data: { method: "EMAIL", status: "resent", by: by.role, userId: by.userId, messageId: m.messageId },
      });
    }
    return m;
  });
  if (!row) {
    // Someone else's email is not found, whatever its state: its existence is not the caller's to know.
    return { resent: false, found: await outboxExists(s.db, emailId, visibleTo) };
  }
  await startEmail(s, row.id);
  return { resent: true, found: true };
}

/**
 * The sweep's part for email: a queued or failed email whose job was lost is queued again; one
 * left `sending` since before `overdue` lost its process and becomes `unknown`.
 */
export async function sweepEmails(s: Services, overdue: Date): Promise<number> {
  if (!s.smtpUrl) return 0;
  const lost = await listOverdueOutbox(s.db, overdue);
  for (const m of lost) {
    if (m.status === "sending") await markUnknown(s, m);
    else await startEmail(s, m.id);
  }
  return lost.length;
}

export interface OutboxQuery {
  status?: string;
  limit: number;
  before?: Date;
}

/** The Outbox page: every row for an admin (with the full error), a buyer's own rows with its reasons. */
export async function listOutbox(s: Services, v: { role: string; orgId: string }, q: OutboxQuery) {
  const admin = v.role === "admin";
  const rows = await listOutboxPage(s.db, admin ? null : v.orgId, q);
  return rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    to: m.to,
    subject: m.subject,
    leadId: m.leadId,
    status: m.status,
    attempts: m.attempts,
    nextAttemptAt: m.nextAttemptAt,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    messageId: admin ? m.messageId : null,
    error: admin ? m.error : null,
    reason: emailReason(m),
    canResend: m.status === "dead" || m.status === "unknown",
  }));
}

/** Buyer wording for the email deliveries on a lead page, by delivery id. */
export async function emailReasonsFor(s: Services, deliveryIds: string[]): Promise<Map<string, string | null>> {
  if (deliveryIds.length === 0) return new Map();
  const rows = await listOutboxOfDeliveries(s.db, deliveryIds);
  return new Map(rows.map((m) => [m.deliveryId!, emailReason(m)]));
}
