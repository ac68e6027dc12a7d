// The fixed orders of the count arrays in the analytics rollups live beside the aggregations that
// write them, in @leadflow/db (queries/analytics-buckets.ts); the charts read them from here.
export {
  CASCADE_LABELS,
  CASCADE_POSITIONS,
  LATENCY_BAND_LABELS,
  LATENCY_BOUNDS_MS,
  LOST_ORDER,
  UNSOLD_ORDER,
} from "@leadflow/db";
