// The fixed orders of the count arrays in the analytics rollups (packages/db schema/analytics.ts).
// Changing an order makes old rollup rows mean something else: append only, and re-roll.
import { LOST_REASONS, UNSOLD_REASONS, type LostReason, type UnsoldReason } from "@leadflow/engine";

/** Ping latency bands: upper bounds in ms (exclusive); the last band is everything above. */
export const LATENCY_BOUNDS_MS = [100, 200, 300, 500, 750, 1000, 1500, 2000] as const;
export const LATENCY_BAND_LABELS: string[] = [
  ...LATENCY_BOUNDS_MS.map((hi, i) => `${i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]}–${hi} ms`),
  `≥ ${LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]} ms`,
];

/** Cascade positions counted one by one; the last slot is this position and deeper. */
export const CASCADE_POSITIONS = 6;
export const CASCADE_LABELS: string[] = Array.from({ length: CASCADE_POSITIONS }, (_, i) =>
  i + 1 === CASCADE_POSITIONS ? `${i + 1}+` : String(i + 1),
);

/** Lost reasons in the order of the `lost` arrays: the engine's list. */
export const LOST_ORDER: readonly LostReason[] = LOST_REASONS;
export const UNSOLD_ORDER: readonly UnsoldReason[] = UNSOLD_REASONS;
