// DJ credits: a ledger of every movement beside a balance that can never go below zero (CHECK),
// and the contact unlock that charges once (unique row) and only with enough credits (conditional
// UPDATE), all in one transaction.
import {
  addDjCredits,
  debitDjCredits,
  getUnlockTarget,
  insertContactUnlock,
  insertCreditLedgerEntry,
  type Tx,
} from "@leadflow/db";
import { DEFAULT_UNLOCK_COST_CREDITS, LEDGER_ENTRY_SIGN, type LedgerEntryKind } from "@leadflow/engine";
import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import { recordLeadEvent, type MarketServices } from "./common";

/** Charges a DJ's card for a credit pack. Real providers (Stripe …) implement the same interface. */
export interface PaymentProvider {
  charge(req: {
    amountCents: number;
    description: string;
    idempotencyKey: string;
    paymentToken: string;
  }): Promise<{ ok: true; chargeId: string } | { ok: false; message: string }>;
}

/** The provider for tests and the demo: every token charges except "tok_declined". */
export const testPaymentProvider: PaymentProvider = {
  async charge(req) {
    if (req.paymentToken === "tok_declined") return { ok: false, message: "The card was declined." };
    return { ok: true, chargeId: `test_ch_${req.idempotencyKey}` };
  },
};

export const CREDIT_PACKS = [
  { id: "pack_5", credits: 5, priceCents: 2_500 },
  { id: "pack_20", credits: 20, priceCents: 9_000 },
] as const;

async function addCredits(
  tx: Tx,
  s: MarketServices,
  e: {
    djId: string;
    kind: Exclude<LedgerEntryKind, "unlock">;
    credits: number;
    reference?: string | null;
    amountCents?: number | null;
    userId?: string | null;
  },
) {
  const dj = await addDjCredits(tx, e.djId, e.credits);
  if (!dj) throw new AppError("NOT_FOUND", "That DJ does not exist.");
  await insertCreditLedgerEntry(tx, {
    djId: e.djId,
    kind: e.kind,
    credits: LEDGER_ENTRY_SIGN[e.kind] * e.credits,
    balanceAfter: dj.credits,
    reference: e.reference ?? null,
    amountCents: e.amountCents ?? null,
    createdByUserId: e.userId ?? null,
    createdAt: s.clock.now(),
  });
  return { balance: dj.credits };
}

export function grantCredits(
  s: MarketServices,
  input: { djId: string; credits: number; note: string; userId: string },
) {
  return s.db.transaction((tx) =>
    addCredits(tx, s, {
      djId: input.djId,
      kind: "grant",
      credits: input.credits,
      reference: input.note,
      userId: input.userId,
    }),
  );
}

/** Charges first, then credits; the charge id is unique in the ledger, so a retried purchase cannot credit twice. */
export async function purchaseCredits(
  s: MarketServices,
  provider: PaymentProvider,
  input: { djId: string; packId: string; paymentToken: string; userId: string },
) {
  const pack = CREDIT_PACKS.find((p) => p.id === input.packId);
  if (!pack)
    throw new AppError("BAD_REQUEST", "Choose one of the listed credit packs.", {
      packId: ["Choose one of the listed credit packs."],
    });
  const charge = await provider.charge({
    amountCents: pack.priceCents,
    description: `${pack.credits} LeadFlow credits`,
    idempotencyKey: randomUUID(),
    paymentToken: input.paymentToken,
  });
  if (!charge.ok) throw new AppError("PRECONDITION_FAILED", charge.message);
  return s.db.transaction((tx) =>
    addCredits(tx, s, {
      djId: input.djId,
      kind: "purchase",
      credits: pack.credits,
      reference: charge.chargeId,
      amountCents: pack.priceCents,
      userId: input.userId,
    }),
  );
}

/**
 * Shows the customer's contact to a DJ who accepted the lead. The first click inserts the unlock
 * row and debits; concurrent clicks wait on that row and then find it there, so they return the
 * contact without charging. Too few credits rolls the whole thing back.
 */
export async function unlockCustomerContact(s: MarketServices, input: { djId: string; leadId: string; cost?: number }) {
  const cost = input.cost ?? DEFAULT_UNLOCK_COST_CREDITS;
  return s.db.transaction(async (tx) => {
    const lead = await getUnlockTarget(tx, input.leadId, input.djId);
    if (!lead) throw new AppError("NOT_FOUND", "That lead was not offered to you.");
    if (lead.status !== "accepted")
      throw new AppError("PRECONDITION_FAILED", "Accept the lead before unlocking the customer's contact.");
    const now = s.clock.now();
    const inserted = await insertContactUnlock(tx, { djId: input.djId, leadId: input.leadId, at: now });
    if (!inserted) return { contact: lead.contact, charged: 0 };
    const dj = await debitDjCredits(tx, input.djId, cost);
    if (!dj)
      throw new AppError(
        "PRECONDITION_FAILED",
        "Not enough credits to unlock this contact. Buy more credits to continue.",
      );
    await insertCreditLedgerEntry(tx, {
      djId: input.djId,
      kind: "unlock",
      credits: -cost,
      balanceAfter: dj.credits,
      leadId: input.leadId,
      createdAt: now,
    });
    await recordLeadEvent(tx, now, input.leadId, "contact_unlocked", `${dj.name} unlocked the customer's contact.`, {
      djId: input.djId,
    });
    return { contact: lead.contact, charged: cost };
  });
}
