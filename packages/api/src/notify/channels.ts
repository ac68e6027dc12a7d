// The three ways a DJ hears of an offer. Each returns what the channel answered, or throws a
// ChannelError that says whether trying again may help.
import webpush from "web-push";
import { request } from "undici";
import type { Services } from "../context";
import { buyerAgent } from "../auction/http";
import { errorText } from "../auction/http";
import type { TwilioSettings, VapidSettings } from "./settings";
import { lazyRequire } from "../lazy-require";
import type Twilio from "twilio";

const twilio = lazyRequire<typeof Twilio>("twilio");

export class ChannelError extends Error {
  constructor(
    message: string,
    /** No later attempt can succeed (a refused number, no address, no subscription). */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface OfferMessage {
  subject: string;
  text: string;
  html: string;
  /** One line for SMS and the push notification's body. */
  short: string;
  url: string;
}

// One client per account and base URL: it keeps its connections.
const smsClients = new Map<string, ReturnType<ReturnType<typeof twilio>>>();
function smsClient(t: TwilioSettings) {
  const key = `${t.accountSid}|${t.authToken}|${t.apiUrl ?? ""}`;
  let c = smsClients.get(key);
  if (!c) {
    c = twilio()(t.accountSid, t.authToken, { timeout: 10_000 });
    // The Messages API lives on the `api` domain; a base URL there reaches a local fake in tests.
    if (t.apiUrl) c.api.baseUrl = t.apiUrl.replace(/\/+$/, "");
    smsClients.set(key, c);
  }
  return c;
}

/**
 * Loads the provider's client before the first offer: twilio requires its API modules lazily, and
 * that first require blocks the event loop for seconds on a busy machine (every worker waits).
 */
export function warmUpSms(t: TwilioSettings | null): void {
  if (t) void smsClient(t).messages;
}

/** Sends one SMS through the voice provider's Messages API; returns the message sid. */
export async function sendSms(t: TwilioSettings, to: string, body: string): Promise<{ sid: string }> {
  try {
    const m = await smsClient(t).messages.create({ to, from: t.from, body });
    return { sid: m.sid };
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    // 4xx (a bad number, an unverified sender, bad credentials) will not change by retrying;
    // 429, 5xx and transport errors may.
    const permanent = typeof status === "number" && status >= 400 && status < 500 && status !== 429;
    throw new ChannelError(`SMS: ${typeof status === "number" ? `${status} ` : ""}${errorText(err)}`, permanent);
  }
}

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type PushOutcome = { endpoint: string; status: number; gone: boolean } | { endpoint: string; error: string };

/**
 * Encrypts the payload for each browser (RFC 8291, aes128gcm) and signs the VAPID JWT with
 * web-push, then POSTs it with undici through the outbound guard (web-push's own sender speaks
 * only https and has no guard). 404/410 mean the browser unsubscribed.
 */
export async function sendPush(
  s: Pick<Services, "outbound">,
  vapid: VapidSettings,
  targets: PushTarget[],
  payload: string,
  ttlSeconds: number,
): Promise<PushOutcome[]> {
  return Promise.all(
    targets.map(async (t): Promise<PushOutcome> => {
      try {
        const req = webpush.generateRequestDetails(
          { endpoint: t.endpoint, keys: { p256dh: t.p256dh, auth: t.auth } },
          payload,
          {
            vapidDetails: vapid,
            TTL: Math.max(0, Math.floor(ttlSeconds)),
            urgency: "high",
            contentEncoding: "aes128gcm",
          },
        );
        const res = await request(req.endpoint, {
          method: "POST",
          headers: req.headers as Record<string, string>,
          body: req.body as Buffer,
          dispatcher: buyerAgent(s.outbound),
          signal: AbortSignal.timeout(10_000),
        });
        await res.body.dump();
        return { endpoint: t.endpoint, status: res.statusCode, gone: res.statusCode === 404 || res.statusCode === 410 };
      } catch (err) {
        return { endpoint: t.endpoint, error: errorText(err) };
      }
    }),
  );
}

export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}
