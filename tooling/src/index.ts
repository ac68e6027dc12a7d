// What other workspaces take from the tooling: the demo world (the browser tests seed it) and the
// recorded-looking auction history. Nothing in the product imports this package.
export { domainSeeds, printLogins, seedDemo } from "./seed/seed";
export { DEMO_ORGS, DEMO_PASSWORD, METROS } from "./seed/world";
export {
  generateHistory,
  insertHistory,
  type HistoryBuyer,
  type HistoryLead,
  type HistoryOptions,
} from "./history/history";
