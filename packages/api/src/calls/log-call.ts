// logCallEvent: one webhook delivery from the voice provider, applied to the call keyed by its
// CallSid. The first delivery creates the call (with its consent decision); the first one that
// says the call ended classifies and attributes it; later deliveries of the same state change
// nothing, so a redelivered webhook is harmless.
import {
  getCallBySidForUpdate,
  getDjName,
  getDjPhone,
  getPriorCallOfCaller,
  getVirtualNumberWithDj,
  insertCallIfAbsent,
  isThreadBilled,
  listDjLeadPhonesSince,
  lockCallerThread,
  updateCall,
  type CallInsert,
  type CallRow,
  type DbOrTx,
} from "@leadflow/db";
import {
  attributeCall,
  consentModeForState,
  normalizePhoneE164,
  recordingAllowed,
  type CallAttribution,
  type PriorCall,
  type ProviderCallStatus,
} from "@leadflow/engine";
import { AppError } from "../errors";
import { recordLeadEvent, type MarketServices } from "../marketplace/common";
import { hashCaller } from "./hash";
import type { CallSettings } from "./settings";

export const ENDED_CALL_STATUSES = [
  "completed",
  "busy",
  "failed",
  "no-answer",
  "canceled",
] as const satisfies readonly ProviderCallStatus[];
const isEnded = (s: ProviderCallStatus | null) => s != null && (ENDED_CALL_STATUSES as readonly string[]).includes(s);

/** A leads' customers phone in for this long after their inquiry and are still matched to it. */
const LEAD_MATCH_DAYS = 90;

export interface CallEvent {
  callSid: string;
  /** The virtual number called (E.164); absent on recording callbacks. */
  to: string | null;
  /** The caller in E.164, or null when the caller id is withheld. Hashed here, never stored. */
  from: string | null;
  callerState: string | null;
  callerCity: string | null;
  /** Absent on recording callbacks. */
  status: ProviderCallStatus | null;
  durationSec: number | null;
  recordingUrl: string | null;
  /** Provider fields worth keeping (ids, direction), with nothing that identifies the caller. */
  provider: Record<string, string>;
}

export type CallOutcome =
  | { kind: "connect"; callId: string; djPhone: string | null; announce: boolean; record: boolean }
  | { kind: "recorded"; callId: string; ended: boolean }
  | { kind: "not_in_service" };

export function durationText(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

export async function logCallEvent(s: MarketServices, settings: CallSettings, event: CallEvent): Promise<CallOutcome> {
  const now = s.clock.now();
  return s.db.transaction(async (tx) => {
    let call = await getCallBySidForUpdate(tx, event.callSid);
    if (!call) {
      if (!event.to || !event.status) {
        throw new AppError(
          "NOT_FOUND",
          `No call ${event.callSid} is known; a recording or status callback must follow the call's first webhook.`,
        );
      }
      const num = await getVirtualNumberWithDj(tx, event.to);
      if (!num?.djId) {
        s.log.warn({ callSid: event.callSid, to: event.to }, "call to a number that belongs to no DJ; not stored");
        return { kind: "not_in_service" };
      }
      // Any party in an all-party state (or an unknown one) means we announce before recording.
      const states = [event.callerState, num.djState];
      const consentMode = states.some((st) => consentModeForState(st) === "all_party") ? "all_party" : "one_party";
      const announced = num.recordingEnabled && consentMode === "all_party";
      const decision = recordingAllowed(states, num.recordingEnabled, announced);
      const inserted = await insertCallIfAbsent(tx, {
        callSid: event.callSid,
        virtualNumberId: num.id,
        toNumber: event.to,
        djId: num.djId,
        callerHash: event.from ? hashCaller(settings.callerHashSecret, event.from) : null,
        callerState: event.callerState,
        callerCity: event.callerCity,
        status: event.status,
        // When the first word we hear is the end of the call, it began duration seconds ago.
        startedAt:
          isEnded(event.status) && event.durationSec ? new Date(now.getTime() - event.durationSec * 1000) : now,
        consentMode,
        announced,
        recordingAllowed: decision.allowed,
        recordingReason: decision.reason,
        provider: event.provider,
        createdAt: now,
        updatedAt: now,
      });
      // A concurrent first delivery won the insert: continue with its row.
      call = inserted ?? (await getCallBySidForUpdate(tx, event.callSid))!;
      s.log.info({ callId: call.id, djId: call.djId, consentMode, recording: decision.reason }, "call started");
    }

    const patch: Partial<CallInsert> = {};
    // Statuses only move forward: a late "ringing" never reopens an ended call.
    if (event.status && !isEnded(call.status) && event.status !== call.status) patch.status = event.status;
    if (event.recordingUrl && event.recordingUrl !== call.recordingUrl) {
      if (call.recordingAllowed) patch.recordingUrl = event.recordingUrl;
      else
        s.log.warn(
          { callId: call.id, reason: call.recordingReason },
          "recording URL discarded: recording was not allowed on this call",
        );
    }
    if (Object.keys(patch).length > 0) {
      patch.updatedAt = now;
      call = await updateCall(tx, call.id, patch);
    }
    if (isEnded(event.status) && call!.classification == null) {
      call = await finishCall(tx, s, settings, call!, event.durationSec ?? 0, now);
    }
    const c = call!;
    if (!event.status || isEnded(c.status)) return { kind: "recorded", callId: c.id, ended: isEnded(c.status) };
    const djPhone = await getDjPhone(tx, c.djId);
    return {
      kind: "connect",
      callId: c.id,
      djPhone: normalizePhoneE164(djPhone ?? null),
      announce: c.announced,
      record: c.recordingAllowed,
    };
  });
}

/** Classify and attribute an ended call, once. Serialised per DJ and caller so threads never fork. */
async function finishCall(
  tx: DbOrTx,
  s: MarketServices,
  settings: CallSettings,
  call: CallRow,
  durationSec: number,
  now: Date,
): Promise<CallRow> {
  let prior: PriorCall | null = null;
  let matchingLeadId: string | null = null;
  if (call.callerHash) {
    await lockCallerThread(tx, call.djId, call.callerHash);
    const last = await getPriorCallOfCaller(tx, call, call.callerHash);
    if (last) {
      const threadId = last.threadId ?? last.id;
      prior = {
        id: last.id,
        at: last.startedAt,
        threadId,
        marketLeadId: last.marketLeadId,
        threadBilled: await isThreadBilled(tx, threadId),
      };
    }
    matchingLeadId = await leadByCallerPhone(tx, settings, call.djId, call.callerHash, now);
  }
  const a = attributeCall({
    durationSec,
    now: call.startedAt,
    lastCall: prior,
    matchingLeadId,
    thresholds: settings.thresholds,
    windowDays: settings.repeatWindowDays,
  });
  const done = await updateCall(tx, call.id, {
    durationSec,
    endedAt: now,
    classification: a.classification,
    threadId: a.threadId ?? call.id,
    repeatOfCallId: a.repeatOfCallId,
    billed: a.billed,
    attributionReason: a.reason,
    marketLeadId: a.marketLeadId,
    attributedBy: a.attributedBy,
    attributedAt: a.marketLeadId ? now : null,
    updatedAt: now,
  });
  s.log.info(
    { callId: call.id, djId: call.djId, leadId: a.marketLeadId, classification: a.classification, billed: a.billed },
    "call ended",
  );
  if (a.marketLeadId) await recordCallOnTimeline(tx, now, done!, a);
  return done!;
}

export async function recordCallOnTimeline(
  tx: DbOrTx,
  now: Date,
  call: CallRow,
  a: Pick<CallAttribution, "attributedBy" | "reason">,
) {
  if (!call.marketLeadId) return;
  const djName = await getDjName(tx, call.djId);
  const how =
    a.attributedBy === "repeat_caller"
      ? "the same caller as an earlier call"
      : a.attributedBy === "lead_phone"
        ? "the customer's phone number"
        : "a person";
  await recordLeadEvent(
    tx,
    now,
    call.marketLeadId,
    "call",
    `The customer called ${djName ?? "the DJ"}'s tracking number: ${durationText(call.durationSec ?? 0)}, ${(call.classification ?? "in progress").replace("_", " ")}${call.billed ? ", billed" : ""}. Matched by ${how}. ${a.reason}`,
    {
      callId: call.id,
      djId: call.djId,
      durationSec: call.durationSec,
      classification: call.classification,
      billed: call.billed,
      repeatOfCallId: call.repeatOfCallId,
      attributedBy: a.attributedBy,
      consentMode: call.consentMode,
      recordingAllowed: call.recordingAllowed,
      recordingReason: call.recordingReason,
    },
  );
}

/**
 * The newest lead this DJ was offered (or won) in the last 90 days whose customer's phone hashes
 * to the caller's hash. Phones on leads are free text, so each is normalised before hashing.
 */
async function leadByCallerPhone(
  tx: DbOrTx,
  settings: CallSettings,
  djId: string,
  callerHash: string,
  now: Date,
): Promise<string | null> {
  const since = new Date(now.getTime() - LEAD_MATCH_DAYS * 86_400_000);
  const candidates = await listDjLeadPhonesSince(tx, djId, since);
  for (const c of candidates) {
    const e164 = normalizePhoneE164(c.phone);
    if (e164 && hashCaller(settings.callerHashSecret, e164) === callerHash) return c.id;
  }
  return null;
}
