// The whole buyer setup as one JSON file (docs/buyer-import.md). Import checks the entire file
// before writing anything and then writes it in one transaction: a bad file changes nothing.
import {
  insertBuyer,
  listAllBuyerZips,
  listBuyerKeysIn,
  listBuyersByKey,
  listOrgNames,
  listVerticalKeys,
  listVerticalsByKey,
  replaceBuyerZips,
  updateBuyerRow,
  upsertVertical,
  type Db,
} from "@leadflow/db";
import { BILLING_MODES, type Clock } from "@leadflow/engine";
import { z } from "zod";
import { AppError } from "../errors";
import { UNSTORABLE_MESSAGE, unstorableTextAt } from "../input-guard";
import { parseJsonWithLines, formatPath } from "./json-lines";
import { buyerColumns, missingAuthSecret, toBuyerInput } from "./mapping";
import { buyerInputSchema, settingsProblems, type BuyerInput, type Problem } from "./schemas";
import { check } from "./validate";
import { STRICT_OUTBOUND, type OutboundPolicy } from "../outbound/guard";
import { outboundUrlProblems } from "./urls";

export const EXPORT_FORMAT = "leadflow.buyers";
export const EXPORT_VERSION = 1;
const SECRET_NOTE =
  'Secrets are never exported. Webhook signing secrets are left out: imported contractors keep the secret they already have; new ones get one when their webhook channel is first saved. A network\'s request-template auth secret is written as "[redacted]": importing that keeps the secret already stored; a new buyer needs the real secret in the file.';

const verticalSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, "must be 2-40 lower-case letters, digits or dashes"),
  name: z.string().trim().min(1, "must not be empty").max(80),
  floorCents: z.number().int("must be whole cents").min(0, "can't be negative").max(1_000_000),
  active: z.boolean().optional(),
});

const fileSchema = z.looseObject({
  format: z.literal(EXPORT_FORMAT, { error: `must be "${EXPORT_FORMAT}"` }),
  version: z.literal(EXPORT_VERSION, { error: `must be ${EXPORT_VERSION}` }),
  verticals: z.array(z.unknown(), { error: "must be a list" }),
  buyers: z.array(z.unknown(), { error: "must be a list" }),
});

const entryHead = z.looseObject({
  key: z
    .string({ error: "is required" })
    .regex(/^[a-z0-9][a-z0-9/_.-]{0,119}$/, "use lower-case letters, digits and - _ . / (at most 120)"),
  org: z.string({ error: "is required: the name of the buyer's organisation" }).trim().min(1, "is required"),
});

/**
 * A buyer's billing (docs/billing.md): optional in the file; absent, an imported buyer keeps its
 * billing (a new one is invoiced, no limit). The balance is never imported: it is the ledger's.
 */
const cents = z.number().int("must be whole cents").min(0, "can't be negative").max(100_000_000).nullable();
const billingSchema = z
  .strictObject({
    mode: z.enum(BILLING_MODES),
    creditLimitCents: cents.default(null),
    lowBalanceThresholdCents: cents.default(null),
    budgetDailyCents: cents.default(null),
    budgetMonthlyCents: cents.default(null),
  })
  .refine((b) => b.mode !== "CREDIT_LIMIT" || b.creditLimitCents !== null, {
    message: "a CREDIT_LIMIT buyer needs creditLimitCents",
    path: ["creditLimitCents"],
  });
type BillingEntry = z.output<typeof billingSchema>;

type Entry = { key: string; org: string; buyer: BuyerInput; billing: BillingEntry | undefined; index: number };
export interface ImportProblem {
  line: number;
  path: string;
  message: string;
}
export interface ImportResult {
  verticals: number;
  created: number;
  updated: number;
}

export async function exportBuyers(db: Db, clock: Clock) {
  const vs = await listVerticalsByKey(db);
  const rows = await listBuyersByKey(db);
  const zips = await listAllBuyerZips(db);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: clock.now().toISOString(),
    note: SECRET_NOTE,
    verticals: vs.map((v) => ({ key: v.key, name: v.name, floorCents: v.floorCents, active: v.active })),
    buyers: rows.map((r) => ({
      key: r.b.key,
      org: r.org,
      ...toBuyerInput(
        r.b,
        zips.filter((z) => z.buyerId === r.b.id),
      ),
      billing: {
        mode: r.b.billingMode,
        creditLimitCents: r.b.creditLimitCents,
        lowBalanceThresholdCents: r.b.lowBalanceThresholdCents,
        budgetDailyCents: r.b.budgetDailyCents,
        budgetMonthlyCents: r.b.budgetMonthlyCents,
      },
    })),
  };
}

export class ImportRefused extends AppError {
  constructor(public readonly problems: ImportProblem[]) {
    const lines = problems.slice(0, 50).map(formatProblem);
    const more = problems.length > 50 ? [`… and ${problems.length - 50} more`] : [];
    super("BAD_REQUEST", `The file was not imported (nothing was changed):\n${[...lines, ...more].join("\n")}`, {
      file: [...lines, ...more],
    });
    this.name = "ImportRefused";
  }
}

export const formatProblem = (p: ImportProblem) => `line ${p.line}, ${p.path}: ${p.message}`;

/**
 * Checks the whole file, then writes it at once. Throws ImportRefused listing every problem.
 * `outbound` judges the ping, post and webhook URLs (private addresses refused; the server's policy).
 */
export async function importBuyers(
  db: Db,
  clock: Clock,
  text: string,
  outbound: OutboundPolicy = STRICT_OUTBOUND,
): Promise<ImportResult> {
  const parsed = parseJsonWithLines(text);
  if (!parsed.ok)
    throw new ImportRefused([
      { line: parsed.line, path: `column ${parsed.column}`, message: `not valid JSON: ${parsed.message}` },
    ]);
  // A NUL or broken unicode written as a JSON escape parses fine but can't be stored.
  const unstorable = unstorableTextAt(parsed.value);
  if (unstorable)
    throw new ImportRefused([
      { line: parsed.lineOf(unstorable), path: formatPath(unstorable) || "file", message: UNSTORABLE_MESSAGE },
    ]);
  const problems: ImportProblem[] = [];
  const add = (path: (string | number)[], message: string) =>
    problems.push({ line: parsed.lineOf(path), path: formatPath(path), message });
  const addAll = (prefix: (string | number)[], ps: Problem[]) =>
    ps.forEach((p) => add([...prefix, ...p.path], p.message));

  const file = fileSchema.safeParse(parsed.value);
  if (!file.success) {
    for (const i of file.error.issues)
      add(
        i.path.map((s) => (typeof s === "symbol" ? String(s) : s)),
        i.message,
      );
    throw new ImportRefused(problems);
  }
  const vs: z.output<typeof verticalSchema>[] = [];
  file.data.verticals.forEach((v, i) => {
    const r = check(verticalSchema, v, () => []);
    if (r.ok) vs.push(r.value);
    else addAll(["verticals", i], r.problems);
  });

  const entries: Entry[] = [];
  const keys = new Map<string, number>();
  file.data.buyers.forEach((raw, i) => {
    const head = entryHead.safeParse(raw);
    if (!head.success) head.error.issues.forEach((iss) => add(["buyers", i, ...iss.path.map(String)], iss.message));
    const { key: _k, org: _o, billing: rawBilling, ...rest } = (raw ?? {}) as Record<string, unknown>;
    const body = check(buyerInputSchema, rest, settingsProblems);
    if (!body.ok) addAll(["buyers", i], body.problems);
    const billing = rawBilling === undefined ? undefined : billingSchema.safeParse(rawBilling);
    if (billing && !billing.success)
      billing.error.issues.forEach((iss) => add(["buyers", i, "billing", ...iss.path.map(String)], iss.message));
    if (!head.success || !body.ok || (billing && !billing.success)) return;
    const first = keys.get(head.data.key);
    if (first !== undefined) add(["buyers", i, "key"], `"${head.data.key}" is also the key of buyers[${first}]`);
    keys.set(head.data.key, i);
    entries.push({ key: head.data.key, org: head.data.org, buyer: body.value, billing: billing?.data, index: i });
  });

  addAll(
    [],
    await outboundUrlProblems(
      entries.map((e) => ({ prefix: ["buyers", e.index], value: e.buyer })),
      outbound,
    ),
  );

  // References: verticals in the file or already here; organisations already here, of the right kind.
  const knownVerticals = new Set([...vs.map((v) => v.key), ...(await listVerticalKeys(db))]);
  const orgRows = await listOrgNames(db);
  const existing = new Map((await listBuyerKeysIn(db, entries.map((e) => e.key).concat(""))).map((b) => [b.key, b]));
  const orgOf = new Map<string, string>();
  for (const e of entries) {
    const i = keys.get(e.key)!;
    e.buyer.verticals.forEach((v, j) => {
      if (!knownVerticals.has(v)) add(["buyers", i, "verticals", j], `unknown vertical "${v}" (add it to "verticals")`);
    });
    const kind = e.buyer.type === "NETWORK" ? "network" : "contractor";
    const matches = orgRows.filter((o) => o.name === e.org && o.kind === kind);
    if (matches.length === 0) add(["buyers", i, "org"], `no ${kind} organisation named "${e.org}"`);
    else if (matches.length > 1)
      add(["buyers", i, "org"], `${matches.length} ${kind} organisations are named "${e.org}"; rename one first`);
    else orgOf.set(e.key, matches[0]!.id);
    const prev = existing.get(e.key);
    if (prev && prev.type !== e.buyer.type)
      add(["buyers", i, "type"], `buyer "${e.key}" is a ${prev.type} here; a buyer's type can't change`);
    if (e.buyer.type === "NETWORK") {
      const template = e.buyer.requestTemplate === undefined ? prev?.requestTemplate : e.buyer.requestTemplate;
      addAll(["buyers", i], missingAuthSecret(template, e.buyer.requestAuthSecret, prev?.requestAuthSecret));
    }
  }
  if (problems.length) throw new ImportRefused(problems.sort((a, b) => a.line - b.line));

  return db.transaction(async (tx) => {
    const now = clock.now();
    for (const v of vs) {
      const row = { key: v.key, name: v.name, floorCents: v.floorCents, active: v.active ?? true };
      await upsertVertical(tx, row);
    }
    let created = 0;
    let updated = 0;
    for (const e of entries) {
      const money = e.billing
        ? {
            billingMode: e.billing.mode,
            creditLimitCents: e.billing.mode === "CREDIT_LIMIT" ? e.billing.creditLimitCents : null,
            lowBalanceThresholdCents: e.billing.lowBalanceThresholdCents,
            budgetDailyCents: e.billing.budgetDailyCents,
            budgetMonthlyCents: e.billing.budgetMonthlyCents,
          }
        : {};
      const cols = { ...buyerColumns(e.buyer), ...money, orgId: orgOf.get(e.key)!, updatedAt: now };
      const prev = existing.get(e.key);
      let id: string;
      if (prev) {
        await updateBuyerRow(tx, prev.id, cols);
        id = prev.id;
        updated++;
      } else {
        const row = await insertBuyer(tx, { ...cols, key: e.key, createdAt: now });
        id = row.id;
        created++;
      }
      await replaceBuyerZips(tx, id, e.buyer.serviceZips);
    }
    return { verticals: vs.length, created, updated };
  });
}
