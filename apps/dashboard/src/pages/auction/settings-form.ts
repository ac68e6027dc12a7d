// The delivery-settings form's state: text as typed (money in dollars), converted to the API's
// shape (integer cents) on submit. Conversion problems are reported on their field, like the
// server's, so the form shows both the same way.
import type { AppRouter } from "@leadflow/api";
import { crossesMidnight } from "@leadflow/engine";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type BuyerView = inferRouterOutputs<AppRouter>["buyers"]["get"];
export type SettingsInput = inferRouterInputs<AppRouter>["buyers"]["updateSettings"];
export type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";
export type Method = "EMAIL" | "WEBHOOK" | "DASHBOARD";
export const WEEKDAYS: { key: Weekday; label: string }[] = [
  { key: "mon", label: "Monday" },
  { key: "tue", label: "Tuesday" },
  { key: "wed", label: "Wednesday" },
  { key: "thu", label: "Thursday" },
  { key: "fri", label: "Friday" },
  { key: "sat", label: "Saturday" },
  { key: "sun", label: "Sunday" },
];

export interface ZipRow {
  zip: string;
  priority: string;
  maxBid: string;
}
export interface DayHours {
  open: boolean;
  from: string;
  to: string;
  /** The person says these hours run past midnight into the next day (18:00 → 09:00). */
  overnight: boolean;
}

export interface SettingsForm {
  deliveryMode: "EXCLUSIVE" | "SHARED";
  maxSharedLeads: string;
  pricingModel: "FIXED" | "AUCTION" | "HYBRID";
  fixedPrice: string;
  maxBid: string;
  sharedPrice: string;
  methods: Method[];
  notificationEmail: string;
  webhookUrl: string;
  webhookSecret: string;
  zips: ZipRow[];
  capDaily: string;
  capWeekly: string;
  capMonthly: string;
  timeZone: string;
  alwaysOpen: boolean;
  hours: Record<Weekday, DayHours>;
  /** Intervals beyond the first per day, which this form doesn't edit but must not lose. */
  extraHours: Partial<Record<Weekday, [string, string][]>>;
  duplicateLookbackDays: string;
}

export const dollars = (cents: number | null | undefined) =>
  cents == null ? "" : (cents / 100).toFixed(2).replace(/\.00$/, "");
const num = (n: number | null | undefined) => (n == null ? "" : String(n));

export function formFromBuyer(b: BuyerView): SettingsForm {
  const hours = {} as Record<Weekday, DayHours>;
  const extraHours: SettingsForm["extraHours"] = {};
  for (const { key } of WEEKDAYS) {
    const list = b.hours?.[key] ?? [];
    const first = list[0];
    hours[key] = first
      ? { open: true, from: first[0], to: first[1], overnight: list.some((i) => crossesMidnight([i[0], i[1]])) }
      : { open: false, from: "08:00", to: "17:00", overnight: false };
    if (list.length > 1) extraHours[key] = list.slice(1).map((i) => [i[0], i[1]]);
  }
  return {
    deliveryMode: b.deliveryMode,
    maxSharedLeads: String(b.maxSharedLeads),
    pricingModel: b.pricingModel,
    fixedPrice: dollars(b.fixedLeadPriceCents),
    maxBid: dollars(b.maxBidCents),
    sharedPrice: dollars(b.sharedPriceCents),
    methods: [...b.deliveryMethods],
    notificationEmail: b.notificationEmail ?? "",
    webhookUrl: b.webhookUrl ?? "",
    webhookSecret: "",
    zips: b.serviceZips.map((z) => ({ zip: z.zip, priority: String(z.priority), maxBid: dollars(z.maxBidCents) })),
    capDaily: num(b.capDaily),
    capWeekly: num(b.capWeekly),
    capMonthly: num(b.capMonthly),
    timeZone: b.timeZone,
    alwaysOpen: b.hours == null,
    hours,
    extraHours,
    duplicateLookbackDays: String(b.duplicateLookbackDays),
  };
}

type Errors = Record<string, string[]>;

/** "$45.50", "45.5", "45" → 4550; "" → null; anything else → an error on `field`. */
export function cents(text: string, field: string, errors: Errors): number | null {
  const t = text.trim().replace(/^\$/, "").replace(/,/g, "");
  if (t === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) {
    errors[field] = ["Enter an amount in dollars, like 45 or 45.50."];
    return null;
  }
  return Math.round(Number(t) * 100);
}

function whole(text: string, field: string, errors: Errors, empty: number | null = null): number | null {
  const t = text.trim();
  if (t === "") return empty;
  if (!/^\d+$/.test(t)) {
    errors[field] = ["Enter a whole number."];
    return null;
  }
  return Number(t);
}

/** The API input for `buyers.updateSettings`, or the fields the person must fix first. */
export function inputFromForm(id: string, f: SettingsForm): { input: SettingsInput; errors: Errors } {
  const errors: Errors = {};
  const hours: Partial<Record<Weekday, [string, string][]>> = {};
  for (const { key } of WEEKDAYS) {
    const d = f.hours[key];
    if (d.open) hours[key] = [[d.from, d.to], ...(f.extraHours[key] ?? [])];
  }
  const input: SettingsInput = {
    id,
    deliveryMode: f.deliveryMode,
    maxSharedLeads: whole(f.maxSharedLeads, "maxSharedLeads", errors, 1) ?? 1,
    pricingModel: f.pricingModel,
    fixedLeadPriceCents: cents(f.fixedPrice, "fixedLeadPriceCents", errors),
    maxBidCents: cents(f.maxBid, "maxBidCents", errors),
    sharedPriceCents: cents(f.sharedPrice, "sharedPriceCents", errors),
    deliveryMethods: f.methods,
    notificationEmail: f.notificationEmail.trim() || null,
    webhookUrl: f.webhookUrl.trim() || null,
    serviceZips: f.zips.map((z, i) => ({
      zip: z.zip.trim(),
      priority: whole(z.priority, `serviceZips.${i}.priority`, errors, 1) ?? 1,
      maxBidCents: cents(z.maxBid, `serviceZips.${i}.maxBidCents`, errors),
    })),
    capDaily: whole(f.capDaily, "capDaily", errors),
    capWeekly: whole(f.capWeekly, "capWeekly", errors),
    capMonthly: whole(f.capMonthly, "capMonthly", errors),
    timeZone: f.timeZone.trim(),
    hours: f.alwaysOpen ? null : hours,
    duplicateLookbackDays: whole(f.duplicateLookbackDays, "duplicateLookbackDays", errors, 0) ?? 0,
    overnightDays: WEEKDAYS.filter(({ key }) => f.hours[key].open && f.hours[key].overnight).map(({ key }) => key),
    ...(f.webhookSecret.trim() ? { webhookSecret: f.webhookSecret.trim() } : {}),
  };
  return { input, errors };
}
