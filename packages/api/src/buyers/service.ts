// Reading and changing buyers. Every write replaces the buyer's zips in the same transaction as
// its row, so a reader never sees new prices with old zips, and a failure leaves both untouched.
import {
  getBuyerForUpdate,
  getExistingVerticalKeys,
  getOrg,
  insertBuyer,
  listBuyerKeysLike,
  listBuyersWithOrgName,
  listZipsOfBuyers,
  replaceBuyerZips,
  setBuyerActiveRow,
  updateBuyerRow,
  type Db,
  type DbOrTx,
} from "@leadflow/db";
import type { Clock } from "@leadflow/engine";
import { randomBytes } from "node:crypto";
import { AppError } from "../errors";
import {
  buyerColumns,
  missingAuthSecret,
  settingsColumns,
  toBuyerView,
  type BuyerRow,
  type BuyerView,
} from "./mapping";
import type { BuyerInput, ContractorSettings, Problem } from "./schemas";
import { invalidSettings } from "./validate";

/** A Standard Webhooks secret: "whsec_" + base64 of 24 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

const NOT_FOUND = "No buyer with that id in your organisation.";

/** Buyers with their zips and org names; orgId limits to one organisation (null: all, for admins). */
export async function listBuyers(db: DbOrTx, orgId: string | null, ids?: string[]): Promise<BuyerView[]> {
  const rows = await listBuyersWithOrgName(db, orgId, ids);
  if (rows.length === 0) return [];
  const zips = await listZipsOfBuyers(
    db,
    rows.map((r) => r.b.id),
  );
  return rows.map((r) =>
    toBuyerView(
      r.b,
      zips.filter((z) => z.buyerId === r.b.id),
      r.orgName,
    ),
  );
}

/** One buyer; another organisation's buyer is answered NOT_FOUND, as if it did not exist. */
export async function getBuyer(db: DbOrTx, id: string, orgId: string | null): Promise<BuyerView> {
  const [view] = await listBuyers(db, orgId, [id]);
  if (!view) throw new AppError("NOT_FOUND", NOT_FOUND);
  return view;
}

async function lockBuyer(tx: DbOrTx, id: string, orgId: string | null): Promise<BuyerRow> {
  const row = await getBuyerForUpdate(tx, id, orgId);
  if (!row) throw new AppError("NOT_FOUND", NOT_FOUND);
  return row;
}

async function replaceZips(tx: DbOrTx, buyerId: string, zips: ContractorSettings["serviceZips"]) {
  await replaceBuyerZips(tx, buyerId, zips);
}

/** Verticals must exist: a typo would silently make a buyer see no leads. */
export async function verticalProblems(
  db: DbOrTx,
  keys: readonly string[],
  path: (string | number)[] = ["verticals"],
): Promise<Problem[]> {
  if (keys.length === 0) return [];
  const known = await getExistingVerticalKeys(db, keys);
  const unknown = keys.filter((k) => !known.has(k));
  return unknown.length
    ? [{ path, message: `Unknown vertical${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}.` }]
    : [];
}

async function orgFor(db: DbOrTx, orgId: string, type: BuyerInput["type"]) {
  const org = await getOrg(db, orgId);
  const want = type === "NETWORK" ? "network" : "contractor";
  if (!org) throw invalidSettings([{ path: ["orgId"], message: "No organisation with that id." }]);
  if (org.kind !== want)
    throw invalidSettings([
      { path: ["orgId"], message: `A ${type} buyer belongs to a ${want} organisation, not a ${org.kind} one.` },
    ]);
  return org;
}

export interface SecretChange {
  /** Set this secret (validated by the caller). */
  webhookSecret?: string | undefined;
  /** Generate a new one and return it once. */
  generateWebhookSecret?: boolean | undefined;
}

/**
 * The secret to store, if it changes. The webhook channel cannot sign without one, so choosing it
 * without a secret on file generates one (returned once, like a requested one).
 */
function secretFor(
  existing: string | null,
  webhookOn: boolean,
  change: SecretChange,
): { store?: string; shown?: string } {
  if (change.webhookSecret) return { store: change.webhookSecret };
  if (change.generateWebhookSecret || (webhookOn && !existing)) {
    const s = generateWebhookSecret();
    return { store: s, shown: s };
  }
  return {};
}

export interface SaveResult {
  buyer: BuyerView;
  /** Present only when a secret was just generated: shown once, never again. */
  newWebhookSecret?: string;
}

export async function createBuyer(
  db: Db,
  clock: Clock,
  orgId: string,
  input: BuyerInput,
  change: SecretChange = {},
): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    await orgFor(tx, orgId, input.type);
    const vp = await verticalProblems(tx, input.verticals);
    if (input.type === "NETWORK") vp.push(...missingAuthSecret(input.requestTemplate, input.requestAuthSecret, null));
    if (vp.length) throw invalidSettings(vp);
    const secret =
      input.type === "CONTRACTOR" ? secretFor(null, input.deliveryMethods.includes("WEBHOOK"), change) : {};
    const now = clock.now();
    const row = await insertBuyer(tx, {
      ...buyerColumns(input),
      orgId,
      key: await freshKey(tx, input.name),
      webhookSecret: secret.store ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await replaceZips(tx, row.id, input.serviceZips);
    return { buyer: await getBuyer(tx, row.id, null), ...(secret.shown ? { newWebhookSecret: secret.shown } : {}) };
  });
}

/** Admin: replace a buyer's whole definition. Its type is fixed at creation. */
export async function updateBuyer(
  db: Db,
  clock: Clock,
  id: string,
  input: BuyerInput,
  change: SecretChange = {},
): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    const row = await lockBuyer(tx, id, null);
    if (row.type !== input.type)
      throw invalidSettings([
        { path: ["type"], message: `This buyer is a ${row.type}; create a new buyer to change its type.` },
      ]);
    const vp = await verticalProblems(tx, input.verticals);
    if (input.type === "NETWORK") {
      const template = input.requestTemplate === undefined ? row.requestTemplate : input.requestTemplate;
      vp.push(...missingAuthSecret(template, input.requestAuthSecret, row.requestAuthSecret));
    }
    if (vp.length) throw invalidSettings(vp);
    const secret =
      input.type === "CONTRACTOR"
        ? secretFor(row.webhookSecret, input.deliveryMethods.includes("WEBHOOK"), change)
        : {};
    await updateBuyerRow(tx, id, {
      ...buyerColumns(input),
      ...(secret.store ? { webhookSecret: secret.store } : {}),
      updatedAt: clock.now(),
    });
    await replaceZips(tx, id, input.serviceZips);
    return { buyer: await getBuyer(tx, id, null), ...(secret.shown ? { newWebhookSecret: secret.shown } : {}) };
  });
}

/** A contractor's own delivery settings; orgId scopes it (null: an admin acting for them). */
export async function updateContractorSettings(
  db: Db,
  clock: Clock,
  orgId: string | null,
  id: string,
  settings: ContractorSettings,
  change: SecretChange = {},
): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    const row = await lockBuyer(tx, id, orgId);
    if (row.type !== "CONTRACTOR")
      throw new AppError(
        "BAD_REQUEST",
        "Delivery settings are for contractor buyers; a network's terms are managed by an admin.",
      );
    const secret = secretFor(row.webhookSecret, settings.deliveryMethods.includes("WEBHOOK"), change);
    await updateBuyerRow(tx, id, {
      ...settingsColumns(settings),
      ...(secret.store ? { webhookSecret: secret.store } : {}),
      updatedAt: clock.now(),
    });
    await replaceZips(tx, id, settings.serviceZips);
    return { buyer: await getBuyer(tx, id, null), ...(secret.shown ? { newWebhookSecret: secret.shown } : {}) };
  });
}

export async function setBuyerActive(db: Db, clock: Clock, id: string, active: boolean): Promise<BuyerView> {
  if (!(await setBuyerActiveRow(db, id, active, clock.now()))) throw new AppError("NOT_FOUND", NOT_FOUND);
  return getBuyer(db, id, null);
}

/** A readable, unique key from the name ("summit-roofing", then "summit-roofing-2" …). */
export async function freshKey(db: DbOrTx, name: string): Promise<string> {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "buyer";
  const taken = new Set(await listBuyerKeysLike(db, base));
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  return key;
}
