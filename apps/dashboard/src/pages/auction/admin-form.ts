// The admin editor's state on top of the settings form: identity and network terms.
import type { AppRouter } from "@leadflow/api";
import type { inferRouterInputs } from "@trpc/server";
import { cents, dollars, formFromBuyer, inputFromForm, type BuyerView, type SettingsForm } from "./settings-form";

export type BuyerInput = inferRouterInputs<AppRouter>["buyers"]["create"]["buyer"];

export interface AdminForm extends SettingsForm {
  type: "NETWORK" | "CONTRACTOR";
  orgId: string;
  name: string;
  active: boolean;
  verticals: string[];
  compliance: ("TRUSTED_FORM" | "JORNAYA")[];
  requireClaimedConsent: boolean;
  refuseInvalidPhone: boolean;
  refuseDisposableEmail: boolean;
  pingUrl: string;
  postUrl: string;
  pingTimeoutMs: string;
  minBid: string;
  bidPath: string;
  acceptedPath: string;
  reasonPath: string;
  bidUnit: "dollars" | "cents";
}

const BLANK: BuyerView = {
  id: "",
  key: "",
  orgId: "",
  orgName: null,
  name: "",
  type: "CONTRACTOR",
  active: true,
  verticals: [],
  timeZone: "America/Chicago",
  hours: null,
  capDaily: null,
  capWeekly: null,
  capMonthly: null,
  duplicateLookbackDays: 30,
  compliance: [],
  requireClaimedConsent: false,
  refuseInvalidPhone: false,
  refuseDisposableEmail: false,
  pingUrl: null,
  postUrl: null,
  pingTimeoutMs: 1000,
  minBidCents: 0,
  responseMapping: null,
  deliveryMode: "EXCLUSIVE",
  maxSharedLeads: 3,
  pricingModel: "AUCTION",
  fixedLeadPriceCents: null,
  maxBidCents: null,
  sharedPriceCents: null,
  notificationEmail: null,
  webhookUrl: null,
  createdAt: "",
  updatedAt: "",
  deliveryMethods: ["DASHBOARD"],
  hasWebhookSecret: false,
  serviceZips: [],
} as unknown as BuyerView;

export function adminFormFrom(b: BuyerView | null, type: AdminForm["type"] = "CONTRACTOR"): AdminForm {
  const v = b ?? { ...BLANK, type };
  const m = v.responseMapping ?? {};
  return {
    ...formFromBuyer(v),
    type: v.type,
    orgId: v.orgId,
    name: v.name,
    active: v.active,
    verticals: [...v.verticals],
    compliance: [...v.compliance],
    requireClaimedConsent: v.requireClaimedConsent,
    refuseInvalidPhone: v.refuseInvalidPhone,
    refuseDisposableEmail: v.refuseDisposableEmail,
    pingUrl: v.pingUrl ?? "",
    postUrl: v.postUrl ?? "",
    pingTimeoutMs: String(v.pingTimeoutMs),
    minBid: dollars(v.minBidCents),
    bidPath: m.bidPath ?? "",
    acceptedPath: m.acceptedPath ?? "",
    reasonPath: m.reasonPath ?? "",
    bidUnit: m.bidUnit ?? "dollars",
  };
}

export function adminInputFrom(f: AdminForm): {
  buyer: BuyerInput;
  errors: Record<string, string[]>;
  webhookSecret?: string;
} {
  const { input, errors } = inputFromForm("", f);
  const { id: _id, webhookSecret, ...settings } = input;
  const identity = {
    name: f.name,
    active: f.active,
    verticals: f.verticals,
    compliance: f.compliance,
    requireClaimedConsent: f.requireClaimedConsent,
    refuseInvalidPhone: f.refuseInvalidPhone,
    refuseDisposableEmail: f.refuseDisposableEmail,
  };
  if (f.type === "CONTRACTOR")
    return {
      buyer: { type: "CONTRACTOR", ...identity, ...settings },
      errors,
      ...(webhookSecret ? { webhookSecret } : {}),
    };
  // Text that is not a number yet says so here; the server's rules on the numbers run after.
  const minBid = cents(f.minBid, "minBidCents", errors) ?? 0;
  const timeoutText = f.pingTimeoutMs.trim();
  if (!/^\d+$/.test(timeoutText))
    errors.pingTimeoutMs = [timeoutText ? "Enter whole milliseconds, like 1000." : "Enter the ping timeout in ms."];
  const timeout = Number(timeoutText) || 0;
  const mapping = { bidPath: f.bidPath.trim(), acceptedPath: f.acceptedPath.trim(), reasonPath: f.reasonPath.trim() };
  const responseMapping = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v !== ""));
  const custom = Object.keys(responseMapping).length > 0 || f.bidUnit !== "dollars";
  return {
    buyer: {
      type: "NETWORK",
      ...identity,
      timeZone: settings.timeZone,
      hours: settings.hours,
      capDaily: settings.capDaily,
      capWeekly: settings.capWeekly,
      capMonthly: settings.capMonthly,
      duplicateLookbackDays: settings.duplicateLookbackDays,
      serviceZips: settings.serviceZips,
      // Always sent: the server then refuses hours past midnight that are not ticked, as here.
      overnightDays: settings.overnightDays ?? [],
      pingUrl: f.pingUrl.trim(),
      postUrl: f.postUrl.trim(),
      pingTimeoutMs: timeout,
      minBidCents: minBid,
      responseMapping: custom ? { ...responseMapping, bidUnit: f.bidUnit } : null,
    },
    errors,
  };
}

/**
 * The form value a field error is about (errors are keyed by the API's fields), so a server error
 * is dropped once its value is edited (components/form.tsx, freshErrors).
 */
export function adminFieldOf(errorKey: string): keyof AdminForm | null {
  const [first = "", second = ""] = errorKey.split(".");
  if (first === "responseMapping") return (second as keyof AdminForm) || "bidPath";
  const named: Record<string, keyof AdminForm> = {
    minBidCents: "minBid",
    fixedLeadPriceCents: "fixedPrice",
    maxBidCents: "maxBid",
    sharedPriceCents: "sharedPrice",
    deliveryMethods: "methods",
    serviceZips: "zips",
    overnightDays: "hours",
  };
  return named[first] ?? (first as keyof AdminForm);
}
