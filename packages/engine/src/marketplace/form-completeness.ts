import type { EventType } from "./enums";

/** The inquiry form as the engine sees it. Money in integer cents; dates as "YYYY-MM-DD". */
export interface MarketLeadInput {
  eventType: EventType;
  eventDate: string;
  city: string;
  budgetMinCents: number | null;
  budgetMaxCents: number | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  guestCount?: number | null;
  venueName?: string | null;
  startTime?: string | null;
  durationHours?: number | null;
  musicPreferences?: string | null;
  notes?: string | null;
}

type FieldCheck = { label: string; weight: number; present: (lead: MarketLeadInput) => boolean };

const text = (v: string | null | undefined) => typeof v === "string" && v.trim().length > 0;
const positive = (v: number | null | undefined) => typeof v === "number" && Number.isFinite(v) && v > 0;

/**
 * Required fields weigh 2, optional 1: a DJ can quote from the required ones alone, and the
 * optional ones are what make a quote accurate. Weights sum to 18.
 */
export const FORM_FIELDS: readonly FieldCheck[] = [
  { label: "event type", weight: 2, present: (l) => text(l.eventType) },
  { label: "event date", weight: 2, present: (l) => text(l.eventDate) },
  { label: "city", weight: 2, present: (l) => text(l.city) },
  { label: "budget range", weight: 2, present: (l) => l.budgetMinCents != null && l.budgetMaxCents != null },
  { label: "name", weight: 2, present: (l) => text(l.contactName) },
  { label: "email or phone", weight: 2, present: (l) => text(l.contactEmail) || text(l.contactPhone) },
  { label: "guest count", weight: 1, present: (l) => positive(l.guestCount) },
  { label: "venue", weight: 1, present: (l) => text(l.venueName) },
  { label: "start time", weight: 1, present: (l) => text(l.startTime) },
  { label: "duration", weight: 1, present: (l) => positive(l.durationHours) },
  { label: "music preferences", weight: 1, present: (l) => text(l.musicPreferences) },
  { label: "notes", weight: 1, present: (l) => text(l.notes) },
];

const TOTAL_WEIGHT = FORM_FIELDS.reduce((sum, f) => sum + f.weight, 0);

/** Share of the form's weight that is filled in, 0-1. */
export function calculateFormCompleteness(lead: MarketLeadInput): number {
  const filled = FORM_FIELDS.reduce((sum, f) => sum + (f.present(lead) ? f.weight : 0), 0);
  return filled / TOTAL_WEIGHT;
}

/** Labels of the fields left empty, for the explanation on the lead's timeline. */
export function missingFormFields(lead: MarketLeadInput): string[] {
  return FORM_FIELDS.filter((f) => !f.present(lead)).map((f) => f.label);
}
