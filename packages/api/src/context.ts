import type { Db, DbHandle } from "@leadflow/db";
import type { Clock } from "@leadflow/engine";
import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { SessionUser } from "./auth/sessions";
import type { ConsentSettings } from "./compliance/consent/provider";
import type { LitigatorSettings } from "./compliance/litigator/provider";
import type { NotifySettings } from "./notify/settings";
import type { OutboundPolicy } from "./outbound/guard";

/**
 * Everything a procedure may use. Built once per request by the server adapter
 * (apps/server), or directly by tests with createContextInner.
 */
export interface Services {
  db: Db;
  handle?: DbHandle;
  clock: Clock;
  log: Logger;
  boss?: PgBoss;
  /** Public URL of this server (for links in emails and webhook signatures). */
  publicUrl: string;
  /** smtp(s)://… for outgoing email; without it emails go to the email_outbox table. */
  smtpUrl?: string;
  /**
   * What outbound HTTP (pings, posts, webhooks) may reach and how names resolve (OUTBOUND_ALLOW).
   * Absent: STRICT_OUTBOUND, every private address refused. Tests allow loopback (testing.ts).
   */
  outbound?: OutboundPolicy;
  /** SMTP_FROM, the sender of every email ("Name <addr@domain>"); SMTP_REPLY_TO where replies go. */
  smtpFrom?: string;
  smtpReplyTo?: string;
  /**
   * This process's lease (worker_leases, auction/lease.ts): the auctions it starts are marked with
   * its owner id, so another process finds them within seconds if this one dies. Absent (tests,
   * scripts): no owner, and only the sweep's 15-minute fallback ends a lead left behind.
   */
  lease?: { owner: string };
  /**
   * Key of the keyed hashes a person is kept as on suppression lists (the caller-hash secret,
   * CALLER_HASH_SECRET). Absent (tests, scripts): one kept in the database (compliance/suppression).
   */
  personHashSecret?: string;
  /** DJ notifications: the offer-link key, SMS provider and VAPID keys (apps/server resolves them). */
  notify?: NotifySettings;
  /** Consent providers (TRUSTEDFORM_*, JORNAYA_*); absent or null entries: that evidence is never claimed. */
  consent?: ConsentSettings;
  /** The litigator list (LITIGATOR_*); absent or null: not configured, so a vertical applying it refuses unchecked leads unless it fails open. */
  litigator?: LitigatorSettings | null;
}

export interface Context extends Services {
  user: SessionUser | null;
  /** Raw session token from the cookie (for logout). */
  sessionToken?: string;
  /** Sets or clears the session cookie; supplied by the HTTP adapter. */
  setSessionCookie?: (token: string | null, expiresAt?: Date) => void;
  /** The caller's address, for rate limits and audit. */
  ip?: string;
  /** The caller's User-Agent header (consent records of the public inquiry form). */
  userAgent?: string;
}

export function createContextInner(opts: Services & Partial<Omit<Context, keyof Services>>): Context {
  return { user: null, ...opts };
}
