// A buyer's money (docs/billing.md): billing settings and top-ups (admin), the balance and ledger
// (admin: any buyer; a buyer org: its own buyers), monthly statements (CSV and PDF), the
// accounts-receivable summary, and the one low-balance email per crossing. Charges, releases and
// return credits are written by the database's triggers from the sale and the return themselves.
import {
  claimLowBalanceCrossings,
  getBuyerBilling,
  insertTopUp,
  listBuyerLedger,
  listReceivables,
  statementEntries,
  updateBuyerBilling,
  type BuyerLedgerRow,
  type DbOrTx,
} from "@leadflow/db";
import { BILLING_MODES, formatCents, isValidTimeZone, zonedWallToUtc, type BuyerLedgerKind } from "@leadflow/engine";
import { z } from "zod";
import type { Services } from "../context";
import { sendMail } from "../email/outbox";
import { AppError } from "../errors";
import { lazyRequire } from "../lazy-require";
import type PDFKit from "pdfkit";

const pdfkit = lazyRequire<typeof PDFKit>("pdfkit");

/** Who asks: an admin sees every buyer; a buyer org (contractor, network) its own buyers. */
export interface BillingViewer {
  role: string;
  orgId: string;
}

const MAX_CENTS = 100_000_000; // $1,000,000
const cents = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of cents.` })
    .int(`${what} must be a whole number of cents.`)
    .min(0, `${what} cannot be negative.`)
    .max(MAX_CENTS, `${what} is at most $1,000,000.`);

export const billingSettingsSchema = z
  .strictObject({
    buyerId: z.uuid(),
    billingMode: z.enum(BILLING_MODES),
    creditLimitCents: cents("The credit limit").nullable(),
    lowBalanceThresholdCents: cents("The low-balance threshold").nullable(),
    budgetDailyCents: cents("The daily budget").nullable(),
    budgetMonthlyCents: cents("The monthly budget").nullable(),
  })
  .refine((s) => s.billingMode !== "CREDIT_LIMIT" || s.creditLimitCents !== null, {
    message: "A credit-limit buyer needs its credit limit.",
    path: ["creditLimitCents"],
  });

export const topUpSchema = z.strictObject({
  buyerId: z.uuid(),
  amountCents: cents("The top-up").min(1, "The top-up must be at least 1 cent."),
  note: z.string().trim().max(200, "The note is at most 200 characters.").nullable().default(null),
  /** One per form: a second submit of the same form is the same top-up. */
  idempotencyKey: z.string().min(8).max(100),
});

export const statementMonthSchema = z.strictObject({
  buyerId: z.uuid(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "A month as YYYY-MM."),
});

/** The buyer's billing, if the viewer may see it; NOT_FOUND otherwise (no hint it exists). */
export async function billingFor(db: DbOrTx, v: BillingViewer, buyerId: string) {
  const b = await getBuyerBilling(db, buyerId);
  if (!b || (v.role !== "admin" && b.orgId !== v.orgId)) throw new AppError("NOT_FOUND", "No such buyer.");
  return { ...b, low: b.lowBalanceThresholdCents !== null && b.balanceCents < b.lowBalanceThresholdCents };
}

export async function setBillingSettings(db: DbOrTx, input: z.infer<typeof billingSettingsSchema>) {
  const { buyerId, ...settings } = input;
  const done = await updateBuyerBilling(db, buyerId, {
    ...settings,
    creditLimitCents: settings.billingMode === "CREDIT_LIMIT" ? settings.creditLimitCents : null,
  });
  if (!done) throw new AppError("NOT_FOUND", "No such buyer.");
  return billingFor(db, { role: "admin", orgId: "" }, buyerId);
}

export async function topUp(db: DbOrTx, by: string, at: Date, input: z.infer<typeof topUpSchema>) {
  const b = await getBuyerBilling(db, input.buyerId);
  if (!b) throw new AppError("NOT_FOUND", "No such buyer.");
  const { entry, created } = await insertTopUp(db, {
    buyerId: input.buyerId,
    amountCents: input.amountCents,
    note: input.note,
    key: input.idempotencyKey,
    by,
    at,
  });
  if (!created && entry.amountCents !== input.amountCents)
    throw new AppError("CONFLICT", "This form was already submitted with another amount.");
  const after = await getBuyerBilling(db, input.buyerId);
  return { entryId: entry.id, created, balanceCents: after?.balanceCents ?? 0 };
}

export async function ledgerPage(
  db: DbOrTx,
  v: BillingViewer,
  input: { buyerId: string; limit: number; offset: number },
) {
  await billingFor(db, v, input.buyerId);
  const { rows, total } = await listBuyerLedger(db, input.buyerId, input.limit, input.offset);
  return { rows: rows.map(entryView), total };
}

function entryView(e: BuyerLedgerRow) {
  return {
    id: e.id,
    kind: e.kind,
    amountCents: e.amountCents,
    leadId: e.leadId,
    note: e.note,
    createdAt: e.createdAt,
  };
}

/** The buyer org's own buyers with their balance and whether it is under the threshold (the banner). */
export async function myBalances(db: DbOrTx, orgId: string) {
  const rows = await listReceivables(db, orgId);
  return rows.map((r) => ({
    buyerId: r.buyerId,
    name: r.name,
    billingMode: r.billingMode,
    balanceCents: r.balanceCents,
    creditLimitCents: r.creditLimitCents,
    lowBalanceThresholdCents: r.lowBalanceThresholdCents,
    low: r.lowBalanceThresholdCents !== null && r.balanceCents < r.lowBalanceThresholdCents,
  }));
}

/**
 * Every buyer's balance: what it owes (a negative balance), whether it is past its credit limit
 * or under its low-balance threshold, its last top-up.
 */
export async function receivables(db: DbOrTx) {
  const rows = await listReceivables(db);
  return rows.map((r) => ({
    ...r,
    owedCents: r.balanceCents < 0 ? -r.balanceCents : 0,
    overLimit:
      (r.billingMode === "PREPAID" && r.balanceCents < 0) ||
      (r.billingMode === "CREDIT_LIMIT" && r.balanceCents < -(r.creditLimitCents ?? 0)),
    low: r.lowBalanceThresholdCents !== null && r.balanceCents < r.lowBalanceThresholdCents,
    lastTopUpAt: r.lastTopUpAt ? new Date(r.lastTopUpAt) : null,
  }));
}

// ---- statements ----------------------------------------------------------------------------

export interface StatementLine {
  at: Date;
  kind: BuyerLedgerKind;
  description: string;
  amountCents: number;
  balanceCents: number;
}

export interface Statement {
  buyerId: string;
  buyerName: string;
  timeZone: string;
  month: string;
  from: Date;
  to: Date;
  openingCents: number;
  closingCents: number;
  totals: Record<BuyerLedgerKind, number>;
  lines: StatementLine[];
}

const KIND_WORDS: Record<BuyerLedgerKind, string> = {
  TOP_UP: "Top-up",
  CHARGE: "Lead bought",
  RELEASE: "Sale undone (buyer refused the lead)",
  RETURN_CREDIT: "Return credit",
};

/** The month's bounds in the buyer's own time zone. */
export function monthBounds(month: string, timeZone: string): { from: Date; to: Date } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
  return {
    from: new Date(zonedWallToUtc(Date.UTC(y, m - 1, 1), zone)),
    to: new Date(zonedWallToUtc(Date.UTC(y, m, 1), zone)),
  };
}

/** A month of the buyer's ledger: opening balance, each entry with the balance after it, closing. */
export async function statement(db: DbOrTx, v: BillingViewer, buyerId: string, month: string): Promise<Statement> {
  const b = await billingFor(db, v, buyerId);
  const { from, to } = monthBounds(month, b.timeZone);
  const { openingCents, entries } = await statementEntries(db, buyerId, from, to);
  let running = openingCents;
  const totals: Record<BuyerLedgerKind, number> = { TOP_UP: 0, CHARGE: 0, RELEASE: 0, RETURN_CREDIT: 0 };
  const lines = entries.map((e) => {
    running += e.amountCents;
    totals[e.kind] += e.amountCents;
    const about = e.leadId ? ` (lead ${e.leadId.slice(0, 8)})` : e.note ? ` (${e.note})` : "";
    return {
      at: e.createdAt,
      kind: e.kind,
      description: `${KIND_WORDS[e.kind]}${about}`,
      amountCents: e.amountCents,
      balanceCents: running,
    };
  });
  return {
    buyerId,
    buyerName: b.name,
    timeZone: b.timeZone,
    month,
    from,
    to,
    openingCents,
    closingCents: running,
    totals,
    lines,
  };
}

const dollars = (c: number) => (c / 100).toFixed(2);
/** RFC 4180; a cell a spreadsheet would run as a formula is quoted with a leading apostrophe. */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function statementCsv(s: Statement): string {
  const rows: string[][] = [
    ["date", "kind", "description", "amount_usd", "balance_usd"],
    [s.from.toISOString(), "OPENING", "Opening balance", "", dollars(s.openingCents)],
    ...s.lines.map((l) => [l.at.toISOString(), l.kind, l.description, dollars(l.amountCents), dollars(l.balanceCents)]),
    [s.to.toISOString(), "CLOSING", "Closing balance", "", dollars(s.closingCents)],
  ];
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** The statement as a PDF (pdfkit, its built-in Helvetica: no font files to ship). */
export function statementPdf(s: Statement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new (pdfkit())({ size: "LETTER", margin: 50, info: { Title: `Statement ${s.month} ${s.buyerName}` } });
    const parts: Buffer[] = [];
    doc.on("data", (d: Buffer) => parts.push(d));
    doc.on("end", () => resolve(Buffer.concat(parts)));
    doc.on("error", reject);
    doc.fontSize(18).text("LeadFlow statement");
    doc.moveDown(0.3).fontSize(11).text(`${s.buyerName}, ${s.month} (${s.timeZone})`);
    doc.moveDown();
    doc.text(`Opening balance: ${formatCents(s.openingCents)}`);
    doc.text(`Leads bought: ${formatCents(s.totals.CHARGE)}`);
    doc.text(`Sales undone: ${formatCents(s.totals.RELEASE)}`);
    doc.text(`Return credits: ${formatCents(s.totals.RETURN_CREDIT)}`);
    doc.text(`Top-ups: ${formatCents(s.totals.TOP_UP)}`);
    doc.text(`Closing balance: ${formatCents(s.closingCents)}`);
    doc.moveDown();
    doc.fontSize(9);
    for (const l of s.lines) {
      doc.text(
        `${l.at.toISOString().slice(0, 16).replace("T", " ")}  ${l.description}  ${formatCents(l.amountCents)}  balance ${formatCents(l.balanceCents)}`,
      );
    }
    if (s.lines.length === 0) doc.text("No entries this month.");
    doc.end();
  });
}

// ---- low balance ---------------------------------------------------------------------------

/**
 * One email per crossing under the buyer's low-balance threshold (the ledger's trigger counts the
 * crossings; claiming them here is atomic, and the email's key is the crossing, so a retry sends
 * nothing twice). Run after sales; buyers without a notification email get the banner only.
 */
export async function notifyLowBalances(s: Services, buyerId?: string): Promise<number> {
  const due = await claimLowBalanceCrossings(s.db, buyerId);
  let sent = 0;
  for (const d of due) {
    if (!d.email) continue;
    const words = `${d.name}'s balance is ${formatCents(d.balanceCents)}, under its low-balance threshold of ${formatCents(d.thresholdCents ?? 0)}.`;
    await sendMail(s, {
      kind: "low_balance",
      to: d.email,
      subject: `Low balance: ${d.name} has ${formatCents(d.balanceCents)} left`,
      text: `${words}\nTop up to keep receiving leads: ${s.publicUrl}/billing\n`,
      html: `<p>${escapeHtml(words)}</p><p><a href="${escapeHtml(`${s.publicUrl}/billing`)}">Top up to keep receiving leads</a></p>`,
      orgId: d.orgId,
      key: `low-balance:${d.buyerId}:${d.crossing}`,
    });
    sent++;
  }
  return sent;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
