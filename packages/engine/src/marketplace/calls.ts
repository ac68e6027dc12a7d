import type { CallClassification, RecordingConsentMode } from "./enums";
import { MarketplaceError } from "./errors";
import type { RoutingSettingError } from "./routing-config";
import { MS_PER_DAY } from "./units";

export interface CallThresholds {
  billableMinSec: number;
  ignoreBelowSec: number;
}

export const DEFAULT_CALL_THRESHOLDS: Readonly<CallThresholds> = { billableMinSec: 60, ignoreBelowSec: 30 };

export function validateCallThresholds(t: CallThresholds): RoutingSettingError[] {
  const errors: RoutingSettingError[] = [];
  for (const key of ["billableMinSec", "ignoreBelowSec"] as const) {
    if (!Number.isInteger(t[key]) || t[key] < 0 || t[key] > 3_600) {
      errors.push({ field: key, message: `${key} must be a whole number of seconds from 0 to 3600.` });
    }
  }
  if (errors.length === 0 && t.ignoreBelowSec > t.billableMinSec) {
    errors.push({ field: "ignoreBelowSec", message: "Calls cannot be ignored above the billable threshold." });
  }
  return errors;
}

/** < ignoreBelowSec ignored; from there to below billableMinSec not billable; billableMinSec and up billable. */
export function classifyCall(
  durationSec: number,
  thresholds: CallThresholds = DEFAULT_CALL_THRESHOLDS,
): CallClassification {
  if (!Number.isFinite(durationSec) || durationSec < 0) {
    throw new MarketplaceError("INVALID_INPUT", "Call duration must be zero or more seconds.", "durationSec");
  }
  if (durationSec < thresholds.ignoreBelowSec) return "ignored";
  return durationSec < thresholds.billableMinSec ? "not_billable" : "billable";
}

export const REPEAT_CALLER_WINDOW_DAYS = 7;

/**
 * A caller whose previous call was at most `windowDays` ago (inclusive: exactly 7 x 24 h later
 * is still the same lead) belongs to the earlier lead. A previous call stamped after `now`
 * (provider clock skew) counts as within the window.
 */
export function isRepeatCaller(
  previousCallAt: Date | null,
  now: Date,
  windowDays = REPEAT_CALLER_WINDOW_DAYS,
): boolean {
  if (previousCallAt == null) return false;
  return now.getTime() - previousCallAt.getTime() <= windowDays * MS_PER_DAY;
}

const E164 = /^\+[1-9]\d{1,14}$/;
export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/**
 * Round-robin over a DJ's pool (ordered by the caller, e.g. by number id). A null or stale
 * index (the pool shrank) starts again from the top rather than failing.
 */
export function nextVirtualNumber(
  pool: readonly string[],
  lastUsedIndex: number | null,
): { number: string; index: number } | null {
  if (pool.length === 0) return null;
  const last = lastUsedIndex != null && Number.isInteger(lastUsedIndex) && lastUsedIndex >= 0 ? lastUsedIndex : -1;
  const index = last + 1 >= pool.length ? 0 : last + 1;
  return { number: pool[index] as string, index };
}

/**
 * States whose wiretap laws require every party's consent to record a phone call. The eleven
 * usually listed (CA, DE, FL, IL, MD, MA, MT, NV, NH, PA, WA) plus Connecticut and Michigan,
 * whose rules are mixed and which we treat the strict way: announcing costs nothing. Oregon is
 * all-party only in person, so phone calls there are one-party. Not legal advice; review yearly.
 */
export const ALL_PARTY_CONSENT_STATES = [
  "CA",
  "CT",
  "DE",
  "FL",
  "IL",
  "MD",
  "MA",
  "MI",
  "MT",
  "NV",
  "NH",
  "PA",
  "WA",
] as const;

/** Unknown or missing states are treated as all-party, the safe assumption. */
export function consentModeForState(state: string | null | undefined): RecordingConsentMode {
  if (!state || !/^[A-Za-z]{2}$/.test(state.trim())) return "all_party";
  return (ALL_PARTY_CONSENT_STATES as readonly string[]).includes(state.trim().toUpperCase())
    ? "all_party"
    : "one_party";
}

export type RecordingDecision =
  | { allowed: true; reason: "one_party_states" | "announced" }
  | { allowed: false; reason: "recording_disabled" | "consent_not_announced" };

/**
 * Recording needs the number's flag on, and when any party is in an all-party state (or its
 * state is unknown) an announcement before recording. Pass both parties' states.
 */
export function recordingAllowed(
  states: string | null | readonly (string | null)[],
  numberRecordingEnabled: boolean,
  announced: boolean,
): RecordingDecision {
  if (!numberRecordingEnabled) return { allowed: false, reason: "recording_disabled" };
  const list = typeof states === "string" || states == null ? [states] : states;
  const needsAnnouncement = list.length === 0 || list.some((s) => consentModeForState(s) === "all_party");
  if (!needsAnnouncement) return { allowed: true, reason: "one_party_states" };
  return announced ? { allowed: true, reason: "announced" } : { allowed: false, reason: "consent_not_announced" };
}

/**
 * A phone number as typed by a customer ("(901) 555-0100", "+1 901-555-0100") in E.164, or null
 * when it cannot be one. Ten digits are taken as North American (the marketplace's market).
 */
export function normalizePhoneE164(raw: string | null | undefined, defaultCountryCode = "1"): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  let e164: string;
  if (trimmed.startsWith("+")) e164 = `+${digits}`;
  else if (digits.length === 10) e164 = `+${defaultCountryCode}${digits}`;
  else if (digits.length === 11 && digits.startsWith(defaultCountryCode)) e164 = `+${digits}`;
  else return null;
  return isE164(e164) ? e164 : null;
}

/** What we know of the caller's earlier calls to the same DJ, newest first. */
export interface PriorCall {
  id: string;
  at: Date;
  /** The first call of that caller's thread (its own id for a first call). */
  threadId: string;
  marketLeadId: string | null;
  /** Whether a call of that thread already made it a billable lead. */
  threadBilled: boolean;
}

export interface CallAttribution {
  classification: CallClassification;
  /** The thread this call joins: a repeat caller's earlier thread, or a new one (null = this call starts it). */
  threadId: string | null;
  repeatOfCallId: string | null;
  /** The market lead the call belongs to, when known from the thread or by the caller's number. */
  marketLeadId: string | null;
  attributedBy: "repeat_caller" | "lead_phone" | null;
  /** True when this call makes its thread a billable lead (once per thread). */
  billed: boolean;
  reason: string;
}

/**
 * The seed's attribution rules in one place: classify by duration; a caller whose last call to
 * the same DJ was within the window is the same lead (joins that thread, inherits its market
 * lead, never bills twice); otherwise a new lead, attributed to a market lead whose customer
 * phone matches the caller. Ignored calls never bill.
 */
export function attributeCall(input: {
  durationSec: number;
  now: Date;
  lastCall: PriorCall | null;
  /** A market lead offered to this DJ whose customer's phone hashes to the caller's hash. */
  matchingLeadId: string | null;
  thresholds?: CallThresholds;
  windowDays?: number;
}): CallAttribution {
  const classification = classifyCall(input.durationSec, input.thresholds ?? DEFAULT_CALL_THRESHOLDS);
  const prior = input.lastCall;
  if (prior && isRepeatCaller(prior.at, input.now, input.windowDays ?? REPEAT_CALLER_WINDOW_DAYS)) {
    const marketLeadId = prior.marketLeadId ?? input.matchingLeadId;
    const billed = classification === "billable" && !prior.threadBilled;
    return {
      classification,
      threadId: prior.threadId,
      repeatOfCallId: prior.id,
      marketLeadId,
      attributedBy: prior.marketLeadId ? "repeat_caller" : input.matchingLeadId ? "lead_phone" : null,
      billed,
      reason: billed
        ? "Repeat caller within the window; first billable call of this lead."
        : classification === "billable"
          ? "Repeat caller within the window: the same lead, already billed."
          : `Repeat caller within the window; the call is ${classification.replace("_", " ")}.`,
    };
  }
  return {
    classification,
    threadId: null,
    repeatOfCallId: null,
    marketLeadId: input.matchingLeadId,
    attributedBy: input.matchingLeadId ? "lead_phone" : null,
    billed: classification === "billable",
    reason:
      classification === "billable"
        ? "A new caller; the call is long enough to be a billable lead."
        : classification === "not_billable"
          ? "A new caller; recorded, but too short to bill."
          : "Too short to count; ignored.",
  };
}
