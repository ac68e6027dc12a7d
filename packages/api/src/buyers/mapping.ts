// Between database rows and the engine's Buyer, and between rows and what the API shows. The
// notify_* columns are the seed's names; the engine wants a list of delivery methods. Both views
// of the same three booleans are built here and nowhere else.
import type { BuyerInsert, BuyerRow, BuyerZipRow } from "@leadflow/db";
import {
  overnightDays,
  REDACTED,
  type RequestTemplate,
  type Buyer,
  type ContractorBuyer,
  type DeliveryMethod,
  type NetworkBuyer,
  type ServiceZip,
} from "@leadflow/engine";
import type { BuyerInput, ContractorSettings, NetworkInput, Problem } from "./schemas";

export type { BuyerRow, BuyerZipRow } from "@leadflow/db";

export function deliveryMethodsOf(
  row: Pick<BuyerRow, "notifyEmail" | "notifyWebhook" | "notifyDashboard">,
): DeliveryMethod[] {
  const out: DeliveryMethod[] = [];
  if (row.notifyEmail) out.push("EMAIL");
  if (row.notifyWebhook) out.push("WEBHOOK");
  if (row.notifyDashboard) out.push("DASHBOARD");
  return out;
}

export function notifyColumns(methods: readonly DeliveryMethod[]) {
  return {
    notifyEmail: methods.includes("EMAIL"),
    notifyWebhook: methods.includes("WEBHOOK"),
    notifyDashboard: methods.includes("DASHBOARD"),
  };
}

/**
 * The channels a lead can actually go out on: a switched-on channel without its address or URL
 * would fail every time, so the engine never picks it.
 */
export function usableDeliveryMethods(
  row: Pick<BuyerRow, "notifyEmail" | "notifyWebhook" | "notifyDashboard" | "notificationEmail" | "webhookUrl">,
): DeliveryMethod[] {
  return deliveryMethodsOf(row).filter((m) =>
    m === "EMAIL" ? !!row.notificationEmail : m === "WEBHOOK" ? !!row.webhookUrl : true,
  );
}

function zipsOf(zips: readonly Pick<BuyerZipRow, "zip" | "priority" | "maxBidCents">[]): ServiceZip[] {
  return [...zips]
    .sort((a, b) => a.priority - b.priority || a.zip.localeCompare(b.zip))
    .map((z) => ({ zip: z.zip, priority: z.priority, maxBidCents: z.maxBidCents ?? null }));
}

/**
 * A buyer row and its zips as the auction engine sees them (auction/load.ts calls it for every
 * candidate buyer); the row's webhook secret and URLs stay out (the engine decides, it never sends).
 */
export function toEngineBuyer(
  row: BuyerRow,
  zips: readonly Pick<BuyerZipRow, "zip" | "priority" | "maxBidCents">[],
): Buyer {
  const base = {
    id: row.id,
    name: row.name,
    active: row.active,
    verticals: row.verticals,
    serviceZips: zipsOf(zips),
    timeZone: row.timeZone,
    hours: row.hours ?? null,
    caps: { daily: row.capDaily, weekly: row.capWeekly, monthly: row.capMonthly },
    duplicateLookbackDays: row.duplicateLookbackDays,
    compliance: row.compliance,
    requireClaimedConsent: row.requireClaimedConsent,
    refuseInvalidPhone: row.refuseInvalidPhone,
    refuseDisposableEmail: row.refuseDisposableEmail,
    billing: {
      mode: row.billingMode,
      creditLimitCents: row.creditLimitCents,
      budgetDailyCents: row.budgetDailyCents,
      budgetMonthlyCents: row.budgetMonthlyCents,
    },
  };
  if (row.type === "NETWORK") {
    const n: NetworkBuyer = {
      ...base,
      type: "NETWORK",
      minBidCents: row.minBidCents,
      pingTimeoutMs: row.pingTimeoutMs,
      mapping: row.responseMapping ?? {},
      returnRateBp: row.returnRateBp,
    };
    return n;
  }
  const c: ContractorBuyer = {
    ...base,
    type: "CONTRACTOR",
    deliveryMode: row.deliveryMode,
    maxSharedLeads: row.maxSharedLeads,
    pricingModel: row.pricingModel,
    fixedLeadPriceCents: row.fixedLeadPriceCents,
    maxBidCents: row.maxBidCents,
    sharedPriceCents: row.sharedPriceCents,
    deliveryMethods: usableDeliveryMethods(row),
  };
  return c;
}

/** What the API returns for a buyer: everything but the webhook secret, which is write-only. */
export function toBuyerView(row: BuyerRow, zips: readonly BuyerZipRow[], orgName?: string) {
  const { webhookSecret, requestAuthSecret, notifyEmail: _e, notifyWebhook: _w, notifyDashboard: _d, ...rest } = row;
  return {
    ...rest,
    orgName: orgName ?? null,
    deliveryMethods: deliveryMethodsOf(row),
    hasWebhookSecret: webhookSecret !== null && webhookSecret !== "",
    hasRequestAuthSecret: requestAuthSecret !== null && requestAuthSecret !== "",
    serviceZips: zipsOf(zips),
  };
}
export type BuyerView = ReturnType<typeof toBuyerView>;

/** The terms every buyer has, network or contractor: time zone, hours, caps, look-back. */
function termsColumns(
  b: Pick<ContractorSettings, "timeZone" | "hours" | "capDaily" | "capWeekly" | "capMonthly" | "duplicateLookbackDays">,
) {
  return {
    timeZone: b.timeZone,
    hours: b.hours ?? null,
    capDaily: b.capDaily ?? null,
    capWeekly: b.capWeekly ?? null,
    capMonthly: b.capMonthly ?? null,
    duplicateLookbackDays: b.duplicateLookbackDays,
  };
}

/** Contractor settings → the columns they live in. */
export function settingsColumns(s: ContractorSettings): Partial<BuyerInsert> {
  return {
    ...termsColumns(s),
    deliveryMode: s.deliveryMode,
    maxSharedLeads: s.maxSharedLeads,
    pricingModel: s.pricingModel,
    fixedLeadPriceCents: s.fixedLeadPriceCents ?? null,
    maxBidCents: s.maxBidCents ?? null,
    sharedPriceCents: s.sharedPriceCents ?? null,
    ...notifyColumns(s.deliveryMethods),
    notificationEmail: s.notificationEmail ?? null,
    webhookUrl: s.webhookUrl ?? null,
  };
}

/** A whole buyer (admin editor, import) → its columns; the type decides which group is used. */
export function buyerColumns(b: BuyerInput): Omit<BuyerInsert, "orgId"> {
  const common = {
    name: b.name,
    type: b.type,
    active: b.active,
    verticals: b.verticals,
    compliance: b.compliance,
    ...screeningColumns(b),
    ...returnTermsColumns(b),
  };
  if (b.type === "CONTRACTOR") return { ...common, ...settingsColumns(b) };
  return {
    ...common,
    ...termsColumns(b),
    pingUrl: b.pingUrl,
    postUrl: b.postUrl,
    pingTimeoutMs: b.pingTimeoutMs,
    minBidCents: b.minBidCents,
    responseMapping: b.responseMapping ?? null,
    ...templateColumns(b),
  };
}

/** The template and its secret are written only when given; REDACTED (from an export) keeps the secret. */
function templateColumns(b: Pick<NetworkInput, "requestTemplate" | "requestAuthSecret">) {
  return {
    ...(b.requestTemplate !== undefined ? { requestTemplate: b.requestTemplate } : {}),
    ...(b.requestAuthSecret !== undefined && b.requestAuthSecret !== REDACTED
      ? { requestAuthSecret: b.requestAuthSecret }
      : {}),
  };
}

/**
 * A template whose auth has no secret (none given, none stored) would send every ping without its
 * credentials: refused on the field to fix.
 */
export function missingAuthSecret(
  template: RequestTemplate | null | undefined,
  given: string | null | undefined,
  stored: string | null | undefined,
): Problem[] {
  if (!template?.auth) return [];
  const secret = given === undefined || given === REDACTED ? stored : given;
  return secret
    ? []
    : [
        {
          path: ["requestAuthSecret"],
          message: `${template.auth.kind} auth needs its secret (an export leaves it out as "${REDACTED}"): enter it, or remove the auth.`,
        },
      ];
}

/** Return terms are written only when given, so an editor that does not show them keeps them. */
function returnTermsColumns(b: Pick<BuyerInput, "returnWindowDays" | "returnCapPercent">) {
  return {
    ...(b.returnWindowDays !== undefined ? { returnWindowDays: b.returnWindowDays } : {}),
    ...(b.returnCapPercent !== undefined ? { returnCapPercent: b.returnCapPercent } : {}),
  };
}

/** A row back to the import/export shape (no ids, no secret). */
export function toBuyerInput(row: BuyerRow, zips: readonly BuyerZipRow[]): BuyerInput {
  const common = {
    name: row.name,
    active: row.active,
    verticals: row.verticals,
    compliance: row.compliance,
    requireClaimedConsent: row.requireClaimedConsent,
    refuseInvalidPhone: row.refuseInvalidPhone,
    refuseDisposableEmail: row.refuseDisposableEmail,
    returnWindowDays: row.returnWindowDays,
    returnCapPercent: row.returnCapPercent,
    timeZone: row.timeZone,
    // The same shape; the engine's type is readonly, the schema's output is not.
    hours: (row.hours ?? null) as BuyerInput["hours"],
    capDaily: row.capDaily,
    capWeekly: row.capWeekly,
    capMonthly: row.capMonthly,
    duplicateLookbackDays: row.duplicateLookbackDays,
    serviceZips: zipsOf(zips),
  };
  if (row.type === "NETWORK") {
    return {
      type: "NETWORK",
      ...common,
      pingUrl: row.pingUrl ?? "",
      postUrl: row.postUrl ?? "",
      pingTimeoutMs: row.pingTimeoutMs,
      minBidCents: row.minBidCents,
      responseMapping: row.responseMapping ?? null,
      requestTemplate: row.requestTemplate ?? null,
      // The secret is never exported; the marker says there is one (import keeps it).
      ...(row.requestAuthSecret ? { requestAuthSecret: REDACTED } : {}),
    };
  }
  return {
    type: "CONTRACTOR",
    ...common,
    deliveryMode: row.deliveryMode,
    maxSharedLeads: row.maxSharedLeads,
    pricingModel: row.pricingModel,
    fixedLeadPriceCents: row.fixedLeadPriceCents,
    maxBidCents: row.maxBidCents,
    sharedPriceCents: row.sharedPriceCents,
    deliveryMethods: deliveryMethodsOf(row),
    notificationEmail: row.notificationEmail,
    webhookUrl: row.webhookUrl,
    // Hours that run past midnight were confirmed when saved; the file says so, so it imports back.
    ...(overnightDays(row.hours).length ? { overnightDays: overnightDays(row.hours) } : {}),
  };
}

/** The compliance screens (docs/compliance.md); left out, they keep their current value. */
function screeningColumns(b: BuyerInput) {
  return {
    ...(b.requireClaimedConsent !== undefined ? { requireClaimedConsent: b.requireClaimedConsent } : {}),
    ...(b.refuseInvalidPhone !== undefined ? { refuseInvalidPhone: b.refuseInvalidPhone } : {}),
    ...(b.refuseDisposableEmail !== undefined ? { refuseDisposableEmail: b.refuseDisposableEmail } : {}),
  };
}
