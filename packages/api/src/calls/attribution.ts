// attributeCallToLead and markCallConverted: a person (the DJ or an admin) links a call to a
// lead, or records that it became a booking. Both are idempotent and land on the lead's timeline.
import { getCallForUpdate, getLeadOfferedToDj, updateCall, type DbOrTx } from "@leadflow/db";
import { formatCents } from "@leadflow/engine";
import { AppError } from "../errors";
import { recordLeadEvent, type MarketServices } from "../marketplace/common";
import { durationText, recordCallOnTimeline } from "./log-call";

/** The call, locked; scoped to the DJ when one is given (another DJ's call answers NOT_FOUND). */
async function lockCall(tx: DbOrTx, callId: string, djId: string | null) {
  const call = await getCallForUpdate(tx, callId, djId);
  if (!call) throw new AppError("NOT_FOUND", "That call does not exist.");
  return call;
}

export async function attributeCallToLead(
  s: MarketServices,
  input: { callId: string; leadId: string; djId: string | null },
) {
  return s.db.transaction(async (tx) => {
    const call = await lockCall(tx, input.callId, input.djId);
    if (call.marketLeadId === input.leadId) return { callId: call.id, leadId: input.leadId, changed: false };
    if (call.marketLeadId) throw new AppError("CONFLICT", "This call is already attributed to another lead.");
    if (call.classification == null)
      throw new AppError("CONFLICT", "The call has not ended yet; attribute it once it has.");
    // A DJ may only claim a lead that was offered to them (or that they won).
    const lead = await getLeadOfferedToDj(tx, input.leadId, call.djId);
    if (!lead) throw new AppError("NOT_FOUND", "That lead was never offered to this DJ.");
    const now = s.clock.now();
    const done = await updateCall(tx, call.id, {
      marketLeadId: lead.id,
      attributedBy: "manual",
      attributedAt: now,
      updatedAt: now,
    });
    await recordCallOnTimeline(tx, now, done!, { attributedBy: null, reason: "Linked to this lead by hand." });
    return { callId: call.id, leadId: lead.id, changed: true };
  });
}

export async function markCallConverted(
  s: MarketServices,
  input: { callId: string; bookingRef: string; valueCents: number | null; djId: string | null },
) {
  return s.db.transaction(async (tx) => {
    const call = await lockCall(tx, input.callId, input.djId);
    if (call.convertedAt) {
      if (call.bookingRef === input.bookingRef && call.bookingValueCents === input.valueCents)
        return { callId: call.id, changed: false };
      throw new AppError(
        "CONFLICT",
        `This call is already marked as booking ${call.bookingRef ?? ""}.`.replace(" .", "."),
      );
    }
    if (call.classification == null || call.classification === "ignored") {
      throw new AppError("CONFLICT", "Only a call that ended and counted (30 seconds or more) can become a booking.");
    }
    const now = s.clock.now();
    await updateCall(tx, call.id, {
      convertedAt: now,
      bookingRef: input.bookingRef,
      bookingValueCents: input.valueCents,
      updatedAt: now,
    });
    if (call.marketLeadId) {
      const value =
        input.valueCents == null ? "no value given" : formatCents(input.valueCents, { trimZeroCents: true });
      await recordLeadEvent(
        tx,
        now,
        call.marketLeadId,
        "call_converted",
        `The ${durationText(call.durationSec ?? 0)} call became booking ${input.bookingRef} (${value}).`,
        {
          callId: call.id,
          bookingRef: input.bookingRef,
          valueCents: input.valueCents,
        },
      );
    }
    s.log.info({ callId: call.id, leadId: call.marketLeadId }, "call converted");
    return { callId: call.id, changed: true };
  });
}
