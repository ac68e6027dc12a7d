// Shared by the seller portal's pages: times shown in UTC (the portal's days and months are UTC),
// and money through the engine's one formatter.
import { formatCents } from "@leadflow/engine";

/** "2026-03-16 14:05 UTC". */
export function utcTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export const money = (cents: number) => formatCents(cents);

/** "March 2026" for "2026-03". */
export function monthName(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}
