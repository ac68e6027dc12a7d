// The analytics aggregations (one SQL per rollup, used by the rollup job and by the charts' live
// tail) live in @leadflow/db (queries/analytics-aggregate.ts); re-exported here under the names
// the analytics services have always used.
export {
  deliveryAggregate,
  leadAggregate,
  ROLLUPS,
  rollupTable,
  txAggregate,
  unifiedRollup as unified,
  type AnalyticsScope as Scope,
  type RollupName,
} from "@leadflow/db";
