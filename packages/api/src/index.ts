// The api package's public surface: what apps/server, tooling and apps/e2e use, named one by one so
// a new export is a decision. The dashboard takes only `type AppRouter` from here and its form checks
// from "@leadflow/api/forms"; test fixtures are in "@leadflow/api/testing". See README.md.

// The server's glue: the tRPC router, the context its procedures run in, errors, the job registry.
export { appRouter, type AppRouter } from "./root";
export { createContextInner, type Services } from "./context";
export { apiErrorSchema, AppError, HTTP_STATUS, type ApiErrorBody } from "./errors";
export { registerJobs } from "./jobs";
export { UNSTORABLE_MESSAGE, unstorableTextPath } from "./input-guard";

// Sign-in: users, sessions and API keys.
export {
  apiCallerAnswerSchema,
  authenticateApiKey,
  createApiKey,
  createUser,
  userForSession,
  type ApiCaller,
  type SessionUser,
} from "./auth/sessions";
export { newSessionToken, sha256Hex } from "./auth/tokens";

// The auction: intake, the run, sales, delivery, the sweep and the views of a lead.
export {
  instant,
  leadViewSchema,
  refusalViewSchema,
  submittedLeadSchema,
  transactionViewSchema,
  type LeadView,
  type SubmittedLead,
} from "./auction/answers";
export { attemptWebhook, webhookRetry } from "./auction/delivery";
export { enqueueAuction } from "./auction/enqueue";
export { writeResult, type ResultRow } from "./auction/finalize";
export { buyerAgent, closeBuyerAgent } from "./auction/http";
export { createLead, leadIntakeSchema, parseIntake } from "./auction/intake";
export { registerAuctionJobs } from "./auction/jobs";
export { type Lease, startLease } from "./auction/lease";
export { ensureAuctionQueues } from "./auction/queues";
export { POST_TIMEOUT_MS, runAuction, type Timings } from "./auction/run-auction";
export { claimSale, releaseSale } from "./auction/sale";
export { submitLead } from "./auction/submit";
export {
  MAX_AUCTION_ATTEMPTS,
  RECLAIM,
  reclaimStranded,
  STUCK_AFTER_MS,
  sweepLeads,
  type SweepWindows,
} from "./auction/sweep";
export { getLeadDetail, getLeadView, type Viewer } from "./auction/view";
export { emailRetry } from "./email/outbox";

// Buyers: settings validation, row ↔ engine mapping, the JSON export/import.
export { buyerColumns, toEngineBuyer } from "./buyers/mapping";
export { buyerInputSchema, type ContractorInput, type NetworkInput, settingsProblems } from "./buyers/schemas";
export { exportBuyers, formatProblem, importBuyers, ImportRefused } from "./buyers/transfer";
export { requestTemplateInput, setRequestTemplate, type RequestTemplateInput } from "./buyers/request-template";
export { getBuyer } from "./buyers/service";

// Sellers: ping then post.
export { pingLead } from "./sellers/ping-lead";
export {
  CONTACT_FIELDS,
  pingAnswerSchema,
  pingSchema,
  postAnswerSchema,
  postBodySchema,
  type PingAnswer,
  type PostAnswer,
} from "./sellers/schemas";
export { forgetHold, holdsWritten } from "./sellers/hold-writer";
export { postLead } from "./sellers/post-lead";
export { POST_REFUSAL_STATUS, PostRefused } from "./sellers/post-refused";
// Sellers: status webhooks (lead.sold, lead.unsold, lead.returned, webhook.test).
export {
  attemptSellerWebhook,
  dispatchSellerEvents,
  sweepSellerWebhooks,
  SELLER_WEBHOOK_QUEUE,
  SELLER_WEBHOOK_SWEEP_QUEUE,
} from "./sellers/webhook-delivery";
export { sendSellerTestEvent, setSellerWebhook } from "./sellers/webhook-settings";
// Sellers: the portal's CSV exports (the server's /api/seller routes) and their CSV writer.
export { csvCell, csvLine, csvDollars } from "./sellers/csv";
export {
  sellerLeadsCsv,
  sellerToday,
  statementMonthCsv,
  LEADS_CSV_HEADER,
  STATEMENT_CSV_HEADER,
} from "./sellers/portal";
export { sellerLeadFilterInput, statementMonthInput } from "./sellers/portal-schemas";

// Returns and their credits.
export { creditReturn } from "./returns/credit";
export { adminDecideReturn } from "./returns/decide-return";
export { listReturns } from "./returns/list";
export { requestReturn } from "./returns/request-return";
export { returnBodySchema, returnListAnswerSchema, returnResultSchema } from "./returns/schemas";

// The DJ marketplace: eligibility, routing, the phase timer, city stats.
export { priceGuidanceFor, recomputeCityStats } from "./marketplace/city-stats";
export { type MarketServices } from "./marketplace/common";
export { getEligibleDJs } from "./marketplace/eligibility";
// Dates held once accepted (issue 17): the booking (or any close) frees the other DJs' dates.
export { releaseHoldsForLead } from "./marketplace/holds";
export { handleLeadResponse } from "./marketplace/responses";
export { registerPhaseTimerWorker } from "./marketplace/jobs";
export { routeLead, runDueTransition, runDueTransitions, sweepOverdueLeads } from "./marketplace/routing";
export { startPhaseTimerSweeper } from "./marketplace/timers";
export { recalculateAllRoutingScores } from "./marketplace/routing-score";
export { marketTime } from "./marketplace/settings";
export {
  busyDaysOf,
  refreshAllExternalCalendars,
  refreshExternalCalendar,
  renderCalendarFeed,
} from "./marketplace/calendars/calendars";
// DJ notifications: offers told by email, SMS and Web Push (issue 17).
export {
  attemptNotification,
  ensureNotifyQueues,
  generateVapidKeys,
  registerNotifyJobs,
  NOTIFY_QUEUE,
  notifyRetry,
  offerLinkUrl,
  signOfferLink,
  sweepNotifications,
  verifyOfferLink,
  type NotifySettings,
} from "./notify";

// Calls: tracking numbers, the Twilio webhook, call analytics.
export { hashCaller } from "./calls/hash";
export { logCallEvent } from "./calls/log-call";
export { getVirtualNumberForDJ } from "./calls/numbers";
export { type CallSettings, defaultCallSettings } from "./calls/settings";
export { callAnalytics } from "./calls/stats";
export {
  callEventFromForm,
  expectedTwilioSignature,
  twimlFor,
  verifyTwilioSignature,
  webhookForm,
} from "./calls/webhook";

// Analytics: the rollup and the charts.
export { buyerPerformanceChart, deliveriesChart, lostReasonsChart, revenueChart } from "./analytics/auction";
export { type Filters, resolveFilters } from "./analytics/filters";
export { marketplaceChart } from "./analytics/marketplace";
export { resetRollups, rollupAnalytics } from "./analytics/rollup";

// Insight: the replay of a buyer against past leads.
export { replayBuyer } from "./insight/replay";
export { replayInputSchema } from "./insight/replay-input";

// The outbound HTTP guard (SSRF): see docs/security.md.
export { parseAllowList } from "./outbound/address";
export { outboundPolicy } from "./outbound/guard";
export {
  audited,
  auditedMany,
  auditedEntityOf,
  markAudited,
  recordAudit,
  redact,
  REDACTED as AUDIT_REDACTED,
} from "./audit";
export { NOT_SETTINGS } from "./audit/not-settings";

// Compliance (docs/compliance.md): consent providers and their local fakes, contact validation.
export { claimConsent } from "./compliance/consent/claim";
export type { ConsentProvider, ConsentSettings } from "./compliance/consent/provider";
export type { LitigatorOutcome, LitigatorProvider, LitigatorSettings } from "./compliance/litigator/provider";
export { validateContact } from "./compliance/validation";
export { uploadSuppressionCsv, type UploadReport } from "./compliance/suppression/upload";
export { importDncFile, type DncImportReport } from "./compliance/suppression/dnc";
export { screenLead, screeningOf } from "./compliance/suppression/screen";
export { personHash, personHashKey, normalizePhone, normalizeEmail } from "./compliance/suppression/person";

// Billing (docs/billing.md).
export {
  billingSettingsSchema,
  monthBounds,
  statement,
  statementCsv,
  statementMonthSchema,
  statementPdf,
  topUpSchema,
  type Statement,
} from "./billing";
