// Shared by the seller portal's pages: times on the seller's own clock (its time zone, which the
// server counts its days and months in), the note that says which zone that is, and money through
// the engine's one formatter.
import { formatCents } from "@leadflow/engine";
import { zonedDateTime } from "../../format/time";

/** "Mar 31, 2026, 11:30 PM PDT" in the seller's zone. */
export const sellerTime = (iso: string | null | undefined, timeZone: string) => zonedDateTime(iso, timeZone);

export const money = (cents: number) => formatCents(cents);

/** "March 2026" for "2026-03" (a month label, whatever the zone). */
export function monthName(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}
