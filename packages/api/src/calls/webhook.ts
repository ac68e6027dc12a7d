// The voice provider's webhook (Twilio's format): the signature check, the form fields as zod
// sees them, and the TwiML answer. The HTTP route in apps/server only wires these together.
import { isE164, PROVIDER_CALL_STATUSES } from "@leadflow/engine";
import { lazyRequire } from "../lazy-require";
import type Twilio from "twilio";
import { z } from "zod";
import type { CallEvent, CallOutcome } from "./log-call";

const twilio = lazyRequire<typeof Twilio>("twilio");

/**
 * X-Twilio-Signature is Base64(HMAC-SHA1(auth token, URL + each POST field name and value, in
 * field-name order)); the official library computes and compares it (in constant time).
 */
export function verifyTwilioSignature(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, string>,
): boolean {
  return twilio().validateRequest(authToken, signature, url, params);
}

/** The package's own signature for a request (tests compare it with one computed by hand). */
export function expectedTwilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio().getExpectedTwilioSignature(authToken, url, params);
}

/** What providers send for a withheld caller id instead of a number. */
const WITHHELD = new Set([
  "anonymous",
  "restricted",
  "unknown",
  "private",
  "+266696687",
  "+7378742833",
  "+2562533",
  "+8656696",
]);

const sid = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `${what} must be ${prefix} followed by 32 hex digits.`);
const e164 = (what: string) =>
  z.string().trim().refine(isE164, `${what} must be a phone number in E.164 form (+ and digits).`);
const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));

export const webhookForm = z
  .object({
    CallSid: sid("CA", "CallSid"),
    AccountSid: sid("AC", "AccountSid").optional(),
    From: z
      .union([
        e164("From"),
        z
          .string()
          .trim()
          .toLowerCase()
          .refine((v) => WITHHELD.has(v), "From must be a phone number in E.164 form (+ and digits)."),
      ])
      .optional(),
    To: e164("To").optional(),
    CallStatus: z
      .enum(PROVIDER_CALL_STATUSES, `CallStatus must be one of ${PROVIDER_CALL_STATUSES.join(", ")}.`)
      .optional(),
    CallDuration: z
      .string()
      .regex(/^\d{1,6}$/, "CallDuration must be whole seconds.")
      .transform(Number)
      .optional(),
    RecordingUrl: z
      .url({ protocol: /^https$/, error: "RecordingUrl must be an https URL." })
      .max(500)
      .optional(),
    RecordingSid: sid("RE", "RecordingSid").optional(),
    Direction: optText(40),
    FromState: optText(40),
    FromCity: optText(80),
    ApiVersion: optText(20),
  })
  // The provider sends many more fields (Caller, CallerZip, …); only these are read.
  .loose()
  .superRefine((v, ctx) => {
    if (v.CallStatus) {
      if (!v.To) ctx.addIssue({ code: "custom", path: ["To"], message: "To is required with CallStatus." });
      if (!v.From) ctx.addIssue({ code: "custom", path: ["From"], message: "From is required with CallStatus." });
    } else if (!v.RecordingUrl) {
      ctx.addIssue({
        code: "custom",
        path: ["CallStatus"],
        message: "Send CallStatus (a call event) or RecordingUrl (a recording callback).",
      });
    }
  });

export type WebhookForm = z.infer<typeof webhookForm>;

/** The call event for logCallEvent: the caller's number is handed on for hashing and kept nowhere. */
export function callEventFromForm(f: WebhookForm): CallEvent {
  const provider: Record<string, string> = {};
  for (const k of ["AccountSid", "Direction", "ApiVersion", "RecordingSid"] as const) {
    const v = f[k];
    if (v) provider[k] = v;
  }
  const from = f.From && isE164(f.From) ? f.From : null;
  return {
    callSid: f.CallSid,
    to: f.To ?? null,
    from,
    callerState: f.FromState ? f.FromState.toUpperCase().slice(0, 2) : null,
    callerCity: f.FromCity ?? null,
    status: f.CallStatus ?? null,
    durationSec: f.CallDuration ?? null,
    recordingUrl: f.RecordingUrl ?? null,
    provider,
  };
}

export const RECORDING_ANNOUNCEMENT = "This call may be recorded. By staying on the line you agree to the recording.";

/** TwiML for the provider: connect the caller to the DJ's own phone (announcing first when recording needs it). */
export function twimlFor(outcome: CallOutcome, callbackUrl: string): string {
  const r = new (twilio().twiml.VoiceResponse)();
  if (outcome.kind === "not_in_service") {
    r.say("Sorry, this number is not in service.");
    r.hangup();
  } else if (outcome.kind === "connect") {
    if (!outcome.djPhone) {
      r.say("Sorry, this DJ cannot take calls right now. Please send your inquiry online.");
      r.hangup();
    } else {
      if (outcome.announce) r.say(RECORDING_ANNOUNCEMENT);
      const dial = r.dial(
        outcome.record
          ? {
              record: "record-from-answer",
              recordingStatusCallback: callbackUrl,
              recordingStatusCallbackMethod: "POST",
            }
          : {},
      );
      dial.number(outcome.djPhone);
    }
  }
  return r.toString();
}
