// The outbound HTTP guard (SSRF): see guard.ts and docs/security.md.
export { addressAllowed, hostAllowed, isLocalName, parseAllowList, privateKind, type AllowEntry } from "./address";
export {
  checkOutboundUrl,
  checkOutboundUrls,
  guardedLookup,
  outboundConnector,
  outboundPolicy,
  OutboundRefused,
  STRICT_OUTBOUND,
  type OutboundPolicy,
  type Resolver,
} from "./guard";
