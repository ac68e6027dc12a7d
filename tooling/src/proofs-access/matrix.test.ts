// Access, as a matrix: EVERY tRPC procedure (enumerated from appRouter, so a new procedure without
// an entry here fails the test) and EVERY HTTP route (enumerated from the Fastify app) is called
// as anonymous, admin, contractor, network buyer, DJ and lead seller, and, for procedures that
// take another organisation's object, as a user of that other organisation. Each call must end in
// exactly the expected outcome: ok, UNAUTHORIZED, FORBIDDEN, or NOT_FOUND for someone else's row.
// Every successful answer to a non-admin is also scanned for customers' contact details the
// caller may not see (a marketplace couple before the DJ unlocked them, an auction homeowner
// before the buyer bought the lead).
import { appRouter, exportBuyers, type SessionUser } from "@leadflow/api";
import { callerAs, makeLead } from "@leadflow/api/testing";
import { leadAssignments, leads, transactions, users } from "@leadflow/db";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "@leadflow/server";
import { makeAccessWorld, q, ROLES, type AccessWorld, type Role } from "./world";

type Caller = Role | "anon";
type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "PRECONDITION_FAILED" | "CONFLICT";
const CALLERS: Caller[] = ["anon", ...ROLES];

interface Fixtures {
  conBuyer: string;
  con2Buyer: string;
  netBuyer: string;
  sellerLead: string;
  wonByCon: string | null;
  wonByNet: string | null;
  pendingReturn: string | null;
  offeredToDj: string;
  djId: string;
  dj2Id: string;
  djCall: string;
  djLead: string;
  marketLead: string;
  numberId: string;
  comparisonToken?: string;
  con2BuyerInput: Record<string, unknown>;
  /** The network buyer's current self-service terms (a valid buyers.updateMyTerms input). */
  netTerms?: Record<string, unknown>;
}

/** The network buyer's terms as they are now, so updating them changes nothing but proves access. */
async function netTerms(w: AccessWorld, id: string) {
  const [b] = await q<Record<string, unknown>>(
    w.db,
    sql`select ping_url, post_url, ping_timeout_ms, min_bid_cents, cap_daily, cap_weekly, cap_monthly, time_zone,
               hours, compliance, response_mapping from buyers where id = ${id}`,
  );
  const zips = await q<{ zip: string; priority: number; max_bid_cents: number | null }>(
    w.db,
    sql`select zip, priority, max_bid_cents from buyer_zips where buyer_id = ${id} order by zip`,
  );
  return {
    id,
    terms: {
      pingUrl: b!.ping_url,
      postUrl: b!.post_url,
      pingTimeoutMs: b!.ping_timeout_ms,
      minBidCents: b!.min_bid_cents,
      capDaily: b!.cap_daily,
      capWeekly: b!.cap_weekly,
      capMonthly: b!.cap_monthly,
      timeZone: b!.time_zone,
      hours: b!.hours,
      serviceZips: zips.map((z) => ({ zip: z.zip, priority: z.priority, maxBidCents: z.max_bid_cents })),
      compliance: b!.compliance,
      responseMapping: b!.response_mapping,
    },
  };
}

interface Rule {
  /** Who passes the gate: everyone (public), any signed-in user (authed), or these roles. */
  who: "public" | "authed" | Role[];
  /** A minimal valid input for this caller. */
  input?: (f: Fixtures, as: Caller, w: AccessWorld) => unknown | Promise<unknown>;
  /** Outcomes other than the gate's default (ok inside, FORBIDDEN/UNAUTHORIZED outside). */
  expect?: Partial<Record<Caller, Outcome>>;
  /** Another organisation's user (same role) asking for this caller's object: NOT_FOUND. */
  otherOrg?: { as: Role; input: (f: Fixtures) => unknown; expect?: Outcome };
}

const allCallers = (o: Outcome): Partial<Record<Caller, Outcome>> => Object.fromEntries(CALLERS.map((c) => [c, o]));
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const contractorSettings = {
  timeZone: "America/Chicago",
  hours: null,
  capDaily: null,
  capWeekly: null,
  capMonthly: null,
  duplicateLookbackDays: 30,
  serviceZips: [{ zip: "38103", priority: 1 }],
  deliveryMode: "EXCLUSIVE",
  maxSharedLeads: 1,
  pricingModel: "AUCTION",
  fixedLeadPriceCents: null,
  maxBidCents: 4000,
  sharedPriceCents: null,
  deliveryMethods: ["DASHBOARD"],
  notificationEmail: null,
  webhookUrl: null,
};
const ownBuyer = (f: Fixtures, as: Caller) => (as === "network" ? f.netBuyer : f.conBuyer);

/**
 * The expected access of every procedure. A procedure missing here fails "every procedure is
 * classified"; classify it by who may call it and give a minimal valid input.
 */
const RULES: Record<string, Rule> = {
  "auth.login": { who: "public", input: (_f, _a, w) => w.login },
  "auth.logout": { who: "public" },
  "auth.me": { who: "public" },
  "auth.whoami": { who: "authed" },

  "apiKeys.list": { who: ["admin", "seller", "network", "contractor"] },
  "apiKeys.create": { who: ["admin", "seller", "network", "contractor"], input: () => ({ name: "matrix key" }) },
  "apiKeys.revoke": {
    who: ["admin", "seller", "network", "contractor"],
    input: async (_f, as, w) => ({ id: await keyOf(w, as === "anon" ? w.user.seller : w.user[as]) }),
    otherOrg: { as: "seller", input: (f) => ({ id: (f as Fixtures & { sellerKeyId: string }).sellerKeyId }) },
  },

  // User management (docs/users.md): platform admins only (there is no organisation-level admin
  // role), so every other role is FORBIDDEN. Changes go to a throwaway user made for each call, so
  // the matrix's own users keep working; the successful paths are proven in users.test.ts.
  "users.list": { who: ["admin"], input: (_f, _a, w) => ({ orgId: w.other.seller.orgId, active: true }) },
  "users.create": {
    who: ["admin"],
    input: (_f, _a, w) => ({
      orgId: w.other.seller.orgId,
      email: `matrix.${Math.random().toString(36).slice(2, 10)}@example.test`,
      name: "Matrix Person",
      role: "seller",
    }),
  },
  "users.update": {
    who: ["admin"],
    input: async (_f, _a, w) => ({ id: await throwawayUser(w), name: "Renamed Person", role: "seller" }),
  },
  "users.deactivate": { who: ["admin"], input: async (_f, _a, w) => ({ id: await throwawayUser(w) }) },
  "users.reactivate": { who: ["admin"], input: async (_f, _a, w) => ({ id: await throwawayUser(w) }) },
  "users.sendPasswordReset": { who: ["admin"], input: async (_f, _a, w) => ({ id: await throwawayUser(w) }) },
  "users.resetPassword": {
    who: "public",
    input: () => ({ token: "not-a-real-link-token-0123456789", password: "a long new password" }),
    expect: allCallers("BAD_REQUEST"),
  },
  "auth.changePassword": {
    who: "authed",
    input: () => ({ currentPassword: "not the password", newPassword: "a long new password" }),
    expect: {
      admin: "BAD_REQUEST",
      contractor: "BAD_REQUEST",
      network: "BAD_REQUEST",
      dj: "BAD_REQUEST",
      seller: "BAD_REQUEST",
    },
  },

  "admin.orgs": { who: ["admin"] },
  "admin.overview": { who: ["admin"] },

  // Compliance (docs/compliance.md): admins only. Ids nobody holds, so the matrix changes no list
  // (a real lead's person would be suppressed for the rest of the run); the successful paths are
  // proven in packages/api/src/compliance/suppression/suppression.test.ts.
  "compliance.overview": { who: ["admin"] },
  "compliance.upload": {
    who: ["admin"],
    input: () => ({ id: "0f5c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e10" }),
    expect: { admin: "NOT_FOUND" },
  },
  "compliance.leadStatus": { who: ["admin"], input: (f) => ({ leadId: f.sellerLead }) },
  "compliance.doNotContact": {
    who: ["admin"],
    input: () => ({ leadId: "0f5c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e11" }),
    expect: { admin: "NOT_FOUND" },
  },
  "compliance.setVerticalChecks": {
    who: ["admin"],
    input: () => ({
      key: "roofing",
      checkSuppression: true,
      checkDnc: false,
      checkLitigator: false,
      litigatorFailOpen: false,
    }),
  },
  // Null (keep forever) is the default, so the matrix purges nothing; the purge itself is proven in
  // packages/api/src/compliance/retention/retention.test.ts.
  "compliance.setVerticalRetention": {
    who: ["admin"],
    input: () => ({ key: "roofing", retentionDays: null }),
  },
  // A number and an address nobody in the matrix's data has: the request removes nothing but is
  // carried out (and audited); the removal itself is proven in retention/deletion.test.ts.
  "compliance.requestDeletion": {
    who: ["admin"],
    input: () => ({ phone: "+44 20 7946 0999", email: "nobody-in-the-matrix@example.invalid" }),
  },
  "compliance.deletionRequests": { who: ["admin"] },

  "leads.submit": {
    who: ["admin", "seller"],
    input: () => ({
      vertical: "roofing",
      zip: "38103",
      contact: { firstName: "Matrix", lastName: "Lead", phone: "9015550100" },
    }),
  },
  "leads.list": { who: "authed" },
  // Scoping by tenant and contact visibility: packages/api/src/routers/search.test.ts.
  "search.leads": { who: "authed", input: () => ({ text: "555" }) },
  "leads.get": {
    who: "authed",
    input: (f, as) => ({
      id: as === "contractor" && f.wonByCon ? f.wonByCon : as === "network" && f.wonByNet ? f.wonByNet : f.sellerLead,
    }),
    expect: { dj: "NOT_FOUND" },
    otherOrg: { as: "seller", input: (f) => ({ id: f.sellerLead }) },
  },

  "buyers.verticals": { who: "authed" },
  "buyers.saveVertical": {
    who: ["admin"],
    input: () => ({ key: "matrix-test", name: "Matrix test", floorCents: 0, active: false }),
  },
  "buyers.list": { who: ["admin", "contractor", "network"] },
  "buyers.get": {
    who: ["admin", "contractor", "network"],
    input: (f, as) => ({ id: ownBuyer(f, as) }),
    otherOrg: { as: "contractor", input: (f) => ({ id: f.conBuyer }) },
  },
  "buyers.create": {
    who: ["admin"],
    input: (f, _a, w) => ({ orgId: w.other.contractor.orgId, buyer: { ...f.con2BuyerInput, name: "Matrix Roofing" } }),
  },
  "buyers.update": { who: ["admin"], input: (f) => ({ id: f.con2Buyer, buyer: f.con2BuyerInput }) },
  "buyers.setActive": { who: ["admin"], input: (f) => ({ id: f.con2Buyer, active: true }) },
  "buyers.updateSettings": {
    who: ["admin", "contractor"],
    input: (f) => ({ id: f.conBuyer, ...contractorSettings }),
    otherOrg: { as: "contractor", input: (f) => ({ id: f.conBuyer, ...contractorSettings }) },
  },
  "buyers.rotateWebhookSecret": {
    who: ["admin", "contractor"],
    input: (f) => ({ id: f.conBuyer }),
    otherOrg: { as: "contractor", input: (f) => ({ id: f.conBuyer }) },
  },
  "buyers.setRequestTemplate": {
    who: ["admin"],
    input: (f) => ({
      id: f.netBuyer,
      requestTemplate: { ping: null, post: { format: "FORM", fields: [{ name: "zip", source: "zip" }] } },
    }),
  },
  "buyers.updateMyTerms": {
    who: ["network"],
    input: (f, _a, w) => netTerms(w, f.netBuyer),
    otherOrg: { as: "network", input: (f) => ({ id: f.netBuyer, terms: f.netTerms }) },
  },
  "buyers.setMyRequestTemplate": {
    who: ["network"],
    input: (f) => ({ id: f.netBuyer, requestTemplate: null }),
    otherOrg: { as: "network", input: (f) => ({ id: f.netBuyer, requestTemplate: null }) },
  },
  "buyers.setLockedFields": { who: ["admin"], input: (f) => ({ id: f.netBuyer, fields: [] }) },
  "buyers.sendTest": {
    who: ["admin", "network"],
    input: (f) => ({ id: f.netBuyer, kind: "ping" }),
    otherOrg: { as: "network", input: (f) => ({ id: f.netBuyer, kind: "ping" }) },
  },
  "buyers.export": { who: ["admin"] },
  "buyers.import": {
    who: ["admin"],
    input: async (_f, _a, w) => ({ text: JSON.stringify(await exportBuyers(w.db, w.services.clock)) }),
  },

  "auctionInsights.activity": { who: ["admin", "contractor", "network"] },
  "auctionInsights.summary": { who: ["admin", "contractor", "network"] },
  "auctionInsights.lostReasons": { who: ["admin"] },

  "insight.timeline": { who: ["admin"], input: (f) => ({ id: f.sellerLead }) },
  "insight.whyNot": {
    who: ["admin", "contractor", "network"],
    input: (f, as) => ({ buyerId: ownBuyer(f, as) }),
    otherOrg: { as: "contractor", input: (f) => ({ buyerId: f.conBuyer }) },
  },
  "insight.djWhyNot": { who: ["admin", "dj"], input: (f, as) => (as === "admin" ? { djId: f.djId } : {}) },
  "insight.replay": {
    who: ["admin", "contractor", "network"],
    input: (f, as) => ({ buyerId: ownBuyer(f, as), days: 7 }),
    otherOrg: { as: "contractor", input: (f) => ({ buyerId: f.conBuyer, days: 7 }) },
  },

  "marketPublic.cities": { who: "public" },
  "marketPublic.priceGuidance": { who: "public", input: () => ({ city: "Memphis" }) },
  "marketPublic.calculatorViewed": { who: "public", input: () => ({ city: "Memphis" }) },
  "marketPublic.inquire": {
    who: "public",
    input: () => ({
      name: "Matrix Couple",
      email: "matrix.couple@example.test",
      phone: "901-555-0142",
      city: "Memphis",
      state: "TN",
      eventType: "wedding",
      eventDate: future(90),
      budgetMinDollars: 800,
      budgetMaxDollars: 1500,
    }),
  },
  "marketPublic.comparison": { who: "public", input: (f) => ({ token: f.comparisonToken }) },
  // The link is the capability: anyone holding it may act, but only on DJs who quoted (none has yet).
  "marketPublic.choose": {
    who: "public",
    input: (f) => ({ token: f.comparisonToken, djId: f.djId }),
    expect: allCallers("NOT_FOUND"),
  },
  "marketPublic.sendMessage": {
    who: "public",
    input: (f) => ({ token: f.comparisonToken, djId: f.djId, body: "Are you free that evening?" }),
    expect: allCallers("NOT_FOUND"),
  },

  "marketDj.profile": { who: ["dj"] },
  "marketDj.inbox": { who: ["dj"] },
  "marketDj.respond": {
    who: ["dj"],
    input: (f) => ({ leadId: f.offeredToDj, action: "accepted", quoteDollars: 1200, message: "Happy to play!" }),
    otherOrg: { as: "dj", input: (f) => ({ leadId: f.offeredToDj, action: "declined" }) },
  },
  "marketDj.unlock": {
    who: ["dj"],
    input: (f) => ({ leadId: f.offeredToDj }),
    otherOrg: { as: "dj", input: (f) => ({ leadId: f.offeredToDj }) },
  },
  "marketDj.calendarFeed": { who: ["dj"] },
  "marketDj.rotateCalendarFeed": { who: ["dj"] },
  // The world's outbound policy is production's: a loopback URL is refused (BAD_REQUEST) for the DJ.
  "marketDj.setExternalCalendar": { who: ["dj"], input: () => ({ url: null }) },
  "marketDj.messages": {
    who: ["dj"],
    input: (f) => ({ leadId: f.offeredToDj }),
    otherOrg: { as: "dj", input: (f) => ({ leadId: f.offeredToDj }) },
  },
  "marketDj.sendMessage": {
    who: ["dj"],
    input: (f) => ({ leadId: f.offeredToDj, body: "Thanks for asking me!" }),
    otherOrg: { as: "dj", input: (f) => ({ leadId: f.offeredToDj, body: "Hello" }) },
  },
  "marketDj.markBooked": {
    who: ["dj"],
    input: (f) => ({ leadId: f.offeredToDj, bookingValueDollars: 1200 }),
    otherOrg: { as: "dj", input: (f) => ({ leadId: f.offeredToDj, bookingValueDollars: 1 }) },
  },
  "marketDj.credits": { who: ["dj"] },
  "marketDj.buyCredits": { who: ["dj"], input: () => ({ packId: "pack_5", paymentToken: "tok_matrix" }) },
  "marketDj.availability": { who: ["dj"] },
  "marketDj.setAvailability": { who: ["dj"], input: () => ({ date: future(200), status: "unavailable" }) },
  "marketDj.setPriceRange": { who: ["dj"], input: () => ({ priceMinDollars: 700, priceMaxDollars: 1600 }) },

  "djNotify.settings": { who: ["dj"] },
  "djNotify.saveSettings": {
    who: ["dj"],
    input: () => ({
      email: true,
      emailTo: "matrix.dj@example.test",
      sms: false,
      smsTo: null,
      push: false,
      quietStart: "22:00",
      quietEnd: "07:00",
      timeZone: "America/Chicago",
    }),
  },
  "djNotify.subscribePush": {
    who: ["dj"],
    input: () => ({
      endpoint: "https://push.example.test/matrix",
      keys: { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) },
    }),
  },
  "djNotify.unsubscribePush": { who: ["dj"], input: () => ({ endpoint: "https://push.example.test/matrix" }) },
  // A token that is not one: the DJ is told the link is not valid; nobody else gets that far.
  "djNotify.openLink": { who: ["dj"], input: () => ({ token: "bm90.YQ" }), expect: { dj: "BAD_REQUEST" } },

  "marketAdmin.metrics": { who: ["admin"] },
  "marketAdmin.concierge": { who: ["admin"] },
  "marketAdmin.assign": { who: ["admin"], input: (f) => ({ leadId: f.marketLead, djId: f.dj2Id }) },
  "marketAdmin.djs": { who: ["admin"] },
  "marketAdmin.setDjStatus": { who: ["admin"], input: (f) => ({ djId: f.dj2Id, isActive: true }) },
  "marketAdmin.grantCredits": { who: ["admin"], input: (f) => ({ djId: f.djId, credits: 5, note: "matrix" }) },
  "marketAdmin.leads": { who: ["admin"] },
  "marketAdmin.lead": { who: ["admin"], input: (f) => ({ id: f.marketLead }) },
  "marketAdmin.routingSettings": { who: ["admin"] },
  "marketAdmin.setRoutingSettings": { who: ["admin"], input: () => ({}) },
  "marketAdmin.cityWindows": { who: ["admin"] },
  "marketAdmin.setCityWindows": { who: ["admin"], input: () => ({ city: "Matrixville", windows: null }) },
  "marketAdmin.recompute": { who: ["admin"] },

  "calls.djProfile": { who: "public", input: (f) => ({ djId: f.djId }) },
  "calls.numbers": { who: ["admin"] },
  "calls.assignNumber": { who: ["admin"], input: (f) => ({ number: "+19015550188", djId: f.dj2Id }) },
  "calls.unassignNumber": { who: ["admin"], input: (f) => ({ numberId: f.numberId }) },
  "calls.setRecording": { who: ["admin"], input: (f) => ({ numberId: f.numberId, recordingEnabled: true }) },
  "calls.analytics": { who: ["admin"] },
  "calls.djChoices": { who: ["admin"] },
  "calls.myCalls": { who: ["dj"] },
  "calls.myLeads": { who: ["dj"] },
  "calls.attribute": {
    who: ["dj"],
    input: (f) => ({ callId: f.djCall, leadId: f.djLead }),
    otherOrg: { as: "dj", input: (f) => ({ callId: f.djCall, leadId: f.djLead }) },
  },
  "calls.markConverted": {
    who: ["dj"],
    input: (f) => ({ callId: f.djCall, bookingRef: "MATRIX-1", valueDollars: 900 }),
    otherOrg: { as: "dj", input: (f) => ({ callId: f.djCall, bookingRef: "X", valueDollars: 1 }) },
  },

  "returns.request": {
    who: ["contractor", "network"],
    input: (f, as) => ({
      leadId: (as === "network" ? f.wonByNet : f.wonByCon) ?? f.sellerLead,
      reason: "INVALID_PHONE",
      comment: "Disconnected number.",
    }),
    otherOrg: { as: "contractor", input: (f) => ({ leadId: f.wonByCon ?? f.sellerLead, reason: "INVALID_PHONE" }) },
  },
  "returns.returnable": { who: ["contractor", "network"] },
  "returns.balance": { who: ["contractor", "network"] },
  "returns.allowances": { who: ["contractor", "network"] },
  "returns.list": { who: ["admin", "contractor", "network", "seller"] },
  "returns.rates": { who: ["admin", "contractor", "network", "seller"] },
  "returns.decide": {
    who: ["admin"],
    input: (f) => ({ id: f.pendingReturn, decision: "DENIED", note: "Checked: the number works." }),
  },
  "returns.settings": { who: ["admin"] },
  "returns.setVerticalRanking": { who: ["admin"], input: () => ({ key: "roofing", on: false }) },
  "returns.setBuyerTerms": {
    who: ["admin"],
    input: (f) => ({ buyerId: f.con2Buyer, returnWindowDays: 7, returnCapPercent: 15 }),
  },

  "billing.get": {
    who: ["admin", "contractor", "network"],
    input: (f, as) => ({ buyerId: ownBuyer(f, as) }),
    otherOrg: { as: "contractor", input: (f) => ({ buyerId: f.conBuyer }) },
  },
  "billing.mine": { who: ["contractor", "network"] },
  "billing.ledger": {
    who: ["admin", "contractor", "network"],
    input: (f, as) => ({ buyerId: ownBuyer(f, as) }),
    otherOrg: { as: "contractor", input: (f) => ({ buyerId: f.conBuyer }) },
  },
  "billing.statement": {
    who: ["admin", "contractor", "network"],
    input: (f, as) => ({ buyerId: ownBuyer(f, as), month: "2026-11" }),
    otherOrg: { as: "contractor", input: (f) => ({ buyerId: f.conBuyer, month: "2026-11" }) },
  },
  "billing.receivables": { who: ["admin"] },
  "billing.setSettings": {
    who: ["admin"],
    input: (f) => ({
      buyerId: f.con2Buyer,
      billingMode: "INVOICED",
      creditLimitCents: null,
      lowBalanceThresholdCents: null,
      budgetDailyCents: null,
      budgetMonthlyCents: null,
    }),
  },
  "billing.topUp": {
    who: ["admin"],
    input: (f) => ({ buyerId: f.con2Buyer, amountCents: 100, note: "matrix", idempotencyKey: "matrix-top-up-1" }),
  },

  "analytics.options": { who: ["admin"] },
  "analytics.lostReasons": { who: ["admin"] },
  "analytics.buyerPerformance": { who: ["admin"] },
  "analytics.revenue": { who: ["admin"] },
  "analytics.deliveries": { who: ["admin"] },
  "analytics.marketplace": { who: ["admin"] },
  "analytics.profit": { who: ["admin"] },

  // A seller's status webhook: sellers only, always its own org (no input names one). In this
  // order: the seller saves a URL before it rotates, tests and removes it.
  "sellerWebhooks.get": { who: ["seller"] },
  "sellerWebhooks.deliveries": { who: ["seller"] },
  "sellerWebhooks.save": { who: ["seller"], input: () => ({ url: "https://hooks.example.test/leadflow" }) },
  "sellerWebhooks.rotateSecret": { who: ["seller"] },
  "sellerWebhooks.sendTest": { who: ["seller"] },
  "sellerWebhooks.remove": { who: ["seller"] },
  // The seller portal: a seller's own figures, leads and statement; another seller's lead is NOT_FOUND.
  "sellerPortal.stats": { who: ["seller"] },
  "sellerPortal.verticals": { who: ["seller"] },
  "sellerPortal.leads": { who: ["seller"] },
  "sellerPortal.lead": {
    who: ["seller"],
    input: (f) => ({ id: f.sellerLead }),
    otherOrg: { as: "seller", input: (f) => ({ id: f.sellerLead }) },
  },
  "sellerPortal.statement": { who: ["seller"] },
  "sources.list": { who: ["admin"] },
  "sources.mine": { who: ["seller"] },
  "sources.setSettings": {
    who: ["admin"],
    input: (_f, _a, w) => ({
      sellerOrgId: w.user.seller.orgId,
      pingTtlSeconds: 60,
      returnWindowDays: 30,
      timeZone: "America/Chicago",
    }),
  },
  // A seller sets its own zone only: no input names an organisation.
  "sources.setMyTimeZone": { who: ["seller"], input: () => ({ timeZone: "America/Chicago" }) },
  "sources.setRule": {
    who: ["admin"],
    input: (_f, _a, w) => ({ sellerOrgId: w.user.seller.orgId, vertical: null, kind: "FIXED_PER_LEAD", fixedCents: 0 }),
  },
  "sources.removeRule": {
    who: ["admin"],
    input: (_f, _a, w) => ({ sellerOrgId: w.user.seller.orgId, vertical: "matrix-none" }),
  },

  // Everyone reads its own org's outbox (an admin all of it); an email id the caller cannot see is not found.
  "audit.list": { who: "authed" },
  "audit.actions": { who: "authed" },
  "email.outbox": { who: "authed" },
  "email.resend": {
    who: "authed",
    input: () => ({ id: "0f5c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e1f" }),
    expect: { admin: "NOT_FOUND", seller: "NOT_FOUND", contractor: "NOT_FOUND", network: "NOT_FOUND", dj: "NOT_FOUND" },
  },
};

/** A user of the other seller organisation that no test signs in as: what user changes act on. */
async function throwawayUser(w: AccessWorld): Promise<string> {
  const [u] = await w.db
    .insert(users)
    .values({
      orgId: w.other.seller.orgId,
      email: `throwaway.${Math.random().toString(36).slice(2, 10)}@example.test`,
      name: "Throwaway Person",
      role: "seller",
      passwordHash: "scrypt$1$1$1$AA$AA",
    })
    .returning({ id: users.id });
  return u!.id;
}

/** A lead of the demo seller, bought just now by `buyerId`: something that buyer may read and return. */
async function soldLead(w: AccessWorld, buyerId: string, name: string): Promise<string> {
  const now = new Date();
  const email = `${name}.${Math.random().toString(36).slice(2, 8)}@example.test`;
  const [lead] = await w.db
    .insert(leads)
    .values({
      sellerOrgId: w.user.seller.orgId,
      vertical: "roofing",
      zip: "38103",
      contact: { firstName: name, lastName: "Sold", email, phone: "9015550177" },
      phoneNormalized: "9015550177",
      emailNormalized: email,
      receivedAt: now,
      status: "SOLD",
    })
    .returning();
  await w.db.insert(transactions).values({
    leadId: lead!.id,
    buyerId,
    kind: "PING",
    pingOutcome: "BID",
    bidCents: 3000,
    isWinner: true,
    priceCents: 3000,
    createdAt: now,
  });
  return lead!.id;
}

async function keyOf(w: AccessWorld, u: SessionUser): Promise<string> {
  const { createApiKey } = await import("@leadflow/api");
  return (await createApiKey(w.db, u.orgId, "to revoke")).id;
}

function expected(rule: Rule, as: Caller): Outcome {
  const o = rule.expect?.[as];
  if (o) return o;
  if (rule.who === "public") return "ok";
  if (as === "anon") return "UNAUTHORIZED";
  if (rule.who === "authed") return "ok";
  return rule.who.includes(as) ? "ok" : "FORBIDDEN";
}

async function call(
  w: AccessWorld,
  u: SessionUser | null,
  path: string,
  input: unknown,
): Promise<{ outcome: string; data?: unknown; message?: string }> {
  const caller = callerAs(w.services, u) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const [a, b] = path.split(".") as [string, string];
  try {
    const data = await caller[a]![b]!(input);
    return { outcome: "ok", data };
  } catch (e) {
    if (e instanceof TRPCError) return { outcome: e.code, message: e.message };
    throw e;
  }
}

// ---- customers' contact details that must not leak ------------------------------------------

interface Secret {
  /** A couple's contact, a homeowner's contact, or a DJ's own phone (the tracking numbers stand in for it). */
  kind: "market" | "auction" | "dj";
  leadId: string;
  needles: string[];
  /** For a DJ's phone: the DJ's organisation, which may see it. */
  orgId?: string;
}

const needlesOf = (email: string | null, phone: string | null) => {
  const out: string[] = [];
  if (email) out.push(email.toLowerCase());
  if (phone) {
    out.push(phone);
    const digits = phone.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
    if (digits.length >= 10) out.push(digits);
  }
  return out;
};

/** Contact details in `data` that `u` may not see, as "<kind> lead <id>: <needle>". */
async function leaks(w: AccessWorld, secrets: Secret[], u: SessionUser | null, data: unknown): Promise<string[]> {
  if (u?.role === "admin") return [];
  const text = JSON.stringify(data ?? null).toLowerCase();
  const digitsText = text.replace(/[^\d]/g, " ");
  const found: string[] = [];
  let unlocked = new Set<string>();
  let bought = new Set<string>();
  if (u?.role === "dj") {
    unlocked = new Set(
      (
        await q<{ lead_id: string }>(
          w.db,
          sql`select cu.lead_id from contact_unlocks cu join djs d on d.id = cu.dj_id where d.org_id = ${u.orgId}`,
        )
      ).map((r) => r.lead_id),
    );
  }
  if (u && (u.role === "contractor" || u.role === "network")) {
    bought = new Set(
      (
        await q<{ lead_id: string }>(
          w.db,
          sql`select t.lead_id from transactions t join buyers b on b.id = t.buyer_id where t.is_winner and b.org_id = ${u.orgId}`,
        )
      ).map((r) => r.lead_id),
    );
  }
  let own = new Set<string>();
  if (u?.role === "seller")
    own = new Set(
      (await q<{ id: string }>(w.db, sql`select id from leads where seller_org_id = ${u.orgId}`)).map((r) => r.id),
    );
  for (const s of secrets) {
    if (s.kind === "market" && unlocked.has(s.leadId)) continue;
    if (s.kind === "auction" && (bought.has(s.leadId) || own.has(s.leadId))) continue;
    if (s.kind === "dj" && u?.orgId === s.orgId) continue;
    for (const n of s.needles) {
      const hit = /^\d+$/.test(n) ? digitsText.includes(n) : text.includes(n);
      if (hit) found.push(`${s.kind} lead ${s.leadId}: ${n}`);
    }
  }
  return found;
}

// ---- the run --------------------------------------------------------------------------------

let w: AccessWorld;
let f: Fixtures & { sellerKeyId: string };
let secrets: Secret[];
let app: FastifyInstance;

beforeAll(async () => {
  w = await makeAccessWorld();
  const one = async <T>(query: ReturnType<typeof sql>): Promise<T | null> => (await q<T>(w.db, query))[0] ?? null;
  const id = async (query: ReturnType<typeof sql>) => (await one<{ id: string }>(query))?.id ?? null;
  const org = (k: string) => w.orgIds.get(k)!;
  const djId = (await id(sql`select id from djs where org_id = ${w.user.dj.orgId}`))!;
  // Objects the seed may not have in the state this needs: a lead a network bought, a lead
  // offered to the DJ right now, and a lead waiting for the concierge team.
  const now = new Date();
  const netBuyerId = (await id(
    sql`select id from buyers where org_id = ${org("net-homequote")} and type = 'NETWORK' order by name limit 1`,
  ))!;
  // A lead of the seller that no buyer bought: only the seller and admins may read it.
  const [unsold] = await w.db
    .insert(leads)
    .values({
      sellerOrgId: org("seller"),
      vertical: "roofing",
      zip: "38103",
      contact: { firstName: "Uma", lastName: "Unsold", email: "uma.unsold@example.test", phone: "9015550166" },
      receivedAt: now,
      status: "UNSOLD",
      unsoldReason: "NO_ELIGIBLE_BUYERS",
    })
    .returning();
  const sellerLead = unsold!.id;
  await soldLead(w, netBuyerId, "nora");
  const offered = await makeLead(w.db, {
    city: "Memphis",
    leadState: "exclusive",
    phaseSeq: 1,
    createdAt: now,
    contact: { name: "Olivia Offered", email: "olivia.offered@example.test", phone: "(901) 555-0163" },
  });
  await w.db.insert(leadAssignments).values({
    leadId: offered.id,
    djId,
    phase: "exclusive",
    phaseSeq: 1,
    status: "offered",
    offeredAt: now,
    windowEndsAt: new Date(now.getTime() + 3_600_000),
  });
  const concierge = await makeLead(w.db, {
    city: "Memphis",
    leadState: "concierge",
    createdAt: now,
    contact: { name: "Connie Concierge", email: "connie@example.test", phone: null },
  });
  const con2Buyer = (await id(
    sql`select id from buyers where org_id = ${org("con-midsouth")} and type = 'CONTRACTOR' order by name limit 1`,
  ))!;
  const exported = await exportBuyers(w.db, w.services.clock);
  const con2Row = (await one<{ key: string }>(sql`select key from buyers where id = ${con2Buyer}`))!;
  const {
    key: _k,
    org: _o,
    billing: _b,
    ...con2BuyerInput
  } = exported.buyers.find((b) => b.key === con2Row.key)! as Record<string, unknown>;
  f = {
    conBuyer: (await id(
      sql`select id from buyers where org_id = ${org("con-bluff")} and type = 'CONTRACTOR' order by name limit 1`,
    ))!,
    con2Buyer,
    netBuyer: (await id(
      sql`select id from buyers where org_id = ${org("net-homequote")} and type = 'NETWORK' order by name limit 1`,
    ))!,
    sellerLead,
    wonByCon: await id(
      sql`select t.lead_id as id from transactions t join buyers b on b.id = t.buyer_id where t.is_winner and b.org_id = ${org("con-bluff")} and not exists (select 1 from return_requests r where r.lead_id = t.lead_id) limit 1`,
    ),
    wonByNet: await id(
      sql`select t.lead_id as id from transactions t join buyers b on b.id = t.buyer_id where t.is_winner and b.org_id = ${org("net-homequote")} and not exists (select 1 from return_requests r where r.lead_id = t.lead_id) limit 1`,
    ),
    pendingReturn: await id(sql`select id from return_requests where status = 'PENDING' limit 1`),
    offeredToDj: offered.id,
    djId,
    dj2Id: (await id(sql`select id from djs where org_id = ${w.other.dj.orgId}`))!,
    djCall: (await id(sql`select id from call_leads where dj_id = ${djId} order by started_at desc limit 1`))!,
    djLead: (await id(
      sql`select lead_id as id from lead_assignments where dj_id = ${djId} order by offered_at desc limit 1`,
    ))!,
    marketLead: concierge.id,
    numberId: (await id(sql`select id from dj_virtual_numbers order by number limit 1`))!,
    con2BuyerInput,
    netTerms: (await netTerms(w, netBuyerId)).terms,
    sellerKeyId: await keyOf(w, w.user.seller),
  };
  secrets = [
    ...(
      await q<{ id: string; email: string | null; phone: string | null }>(
        w.db,
        sql`select id, contact->>'email' as email, contact->>'phone' as phone from market_leads`,
      )
    ).map((r) => ({ kind: "market" as const, leadId: r.id, needles: needlesOf(r.email, r.phone) })),
    ...(
      await q<{ id: string; email: string | null; phone: string | null }>(
        w.db,
        sql`select id, contact->>'email' as email, contact->>'phone' as phone from leads`,
      )
    ).map((r) => ({ kind: "auction" as const, leadId: r.id, needles: needlesOf(r.email, r.phone) })),
    ...(
      await q<{ id: string; org_id: string | null; phone: string | null }>(
        w.db,
        sql`select id, org_id, contact_phone as phone from djs where contact_phone is not null`,
      )
    ).map((r) => ({
      kind: "dj" as const,
      leadId: r.id,
      orgId: r.org_id ?? undefined,
      needles: needlesOf(null, r.phone),
    })),
    // The inquiry this test sends: routed to DJs, its couple's contact is locked for them too.
    { kind: "market", leadId: "(matrix inquiry)", needles: needlesOf("matrix.couple@example.test", "901-555-0142") },
  ];
  app = await buildApp({ services: w.services, dashboardDir: "/nonexistent" });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await w?.close();
});

describe("access matrix: every tRPC procedure", () => {
  const procedures = Object.entries(
    appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
  ).map(([path, p]) => ({ path, type: p._def.type }));

  it("has an expected-access entry for every procedure (a new procedure must be classified here)", () => {
    const missing = procedures.map((p) => p.path).filter((p) => !(p in RULES));
    const stale = Object.keys(RULES).filter((p) => !procedures.some((x) => x.path === p));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    expect(procedures.length).toBeGreaterThan(60);
  });

  it("would notice a customer's contact in an answer (the scan below can fail)", async () => {
    const market = secrets.find((x) => x.kind === "market" && x.needles.length > 1)!;
    const auction = secrets.find((x) => x.kind === "auction" && x.leadId === f.sellerLead)!;
    expect(await leaks(w, secrets, w.user.dj, { items: [{ note: `call ${market.needles.at(-1)}` }] })).not.toEqual([]);
    expect(await leaks(w, secrets, w.user.network, { lead: { contact: { email: auction.needles[0] } } })).not.toEqual(
      [],
    );
    expect(await leaks(w, secrets, w.user.seller, { lead: { contact: { email: auction.needles[0] } } })).toEqual([]);
    const djPhone = secrets.find((x) => x.kind === "dj" && x.orgId !== w.user.dj.orgId)!;
    expect(await leaks(w, secrets, null, { trackingNumber: djPhone.needles[0] })).not.toEqual([]);
    expect(secrets.filter((x) => x.kind === "market").length).toBeGreaterThan(100);
  });

  it("scopes lists to the caller's organisation", async () => {
    const ids = (rows: unknown) => new Set((rows as { id: string }[]).map((r) => r.id));
    const ownBuyers = async (orgId: string) =>
      new Set((await q<{ id: string }>(w.db, sql`select id from buyers where org_id = ${orgId}`)).map((r) => r.id));
    for (const r of ["contractor", "network"] as const) {
      const listed = ids((await call(w, w.user[r], "buyers.list", undefined)).data);
      expect(listed.size).toBeGreaterThan(0);
      const own = await ownBuyers(w.user[r].orgId);
      expect([...listed].filter((x) => !own.has(x))).toEqual([]);
    }
    const sellerLeads = (await call(w, w.user.seller, "leads.list", undefined)).data as
      { id: string }[] | { items: { id: string }[] };
    const leadIds = (Array.isArray(sellerLeads) ? sellerLeads : sellerLeads.items).map((l) => l.id);
    const mine = new Set(
      (await q<{ id: string }>(w.db, sql`select id from leads where seller_org_id = ${w.user.seller.orgId}`)).map(
        (r) => r.id,
      ),
    );
    expect(leadIds.length).toBeGreaterThan(0);
    expect(leadIds.filter((x) => !mine.has(x))).toEqual([]);
    const otherSellerLeads = (await call(w, w.other.seller, "leads.list", undefined)).data as
      { id: string }[] | { items: { id: string }[] };
    expect(
      (Array.isArray(otherSellerLeads) ? otherSellerLeads : otherSellerLeads.items).filter((l) => mine.has(l.id)),
    ).toEqual([]);
    // A DJ naming another DJ in "why didn't I get it" still gets only its own view.
    const why = await call(w, w.other.dj, "insight.djWhyNot", { djId: f.djId });
    expect(why.outcome).toBe("ok");
    expect(JSON.stringify(why.data)).not.toContain(f.djId);
    expect(JSON.stringify(why.data)).toContain(f.dj2Id);
    const keys = (await call(w, w.user.seller, "apiKeys.list", undefined)).data as { id: string }[];
    const myKeys = new Set(
      (await q<{ id: string }>(w.db, sql`select id from api_keys where org_id = ${w.user.seller.orgId}`)).map(
        (r) => r.id,
      ),
    );
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !myKeys.has(k.id))).toEqual([]);
  });

  it("gives each of anonymous, admin, contractor, network, DJ and seller exactly what it may, and another organisation's object answers NOT_FOUND", async () => {
    const wrong: string[] = [];
    const leaked: string[] = [];
    let calls = 0;
    for (const { path } of procedures) {
      const rule = RULES[path];
      if (!rule) continue;
      for (const as of CALLERS) {
        const u = as === "anon" ? null : w.user[as];
        const input = rule.input ? await rule.input(f, as, w) : undefined;
        const r = await call(w, u, path, input);
        calls++;
        if (path === "marketPublic.inquire" && r.outcome === "ok" && !f.comparisonToken)
          f.comparisonToken = (r.data as { token: string }).token;
        const want = expected(rule, as);
        if (r.outcome !== want)
          wrong.push(
            `${path} as ${as}: ${r.outcome}${r.message ? ` (${r.message.slice(0, 160)})` : ""}, expected ${want}`,
          );
        if (r.outcome === "ok")
          leaked.push(...(await leaks(w, secrets, u, r.data)).map((l) => `${path} as ${as} shows ${l}`));
      }
      if (rule.otherOrg) {
        const r = await call(w, w.other[rule.otherOrg.as], path, rule.otherOrg.input(f));
        calls++;
        const want = rule.otherOrg.expect ?? "NOT_FOUND";
        if (r.outcome !== want)
          wrong.push(
            `${path} as another ${rule.otherOrg.as} org: ${r.outcome}${r.message ? ` (${r.message.slice(0, 160)})` : ""}, expected ${want}`,
          );
        if (r.outcome === "ok")
          leaked.push(
            ...(await leaks(w, secrets, w.other[rule.otherOrg.as], r.data)).map(
              (l) => `${path} as another org shows ${l}`,
            ),
          );
      }
    }
    process.stderr.write(`access matrix: ${procedures.length} procedures, ${calls} calls\n`);
    expect(wrong).toEqual([]);
    expect(leaked).toEqual([]);
  }, 300_000);
});

// ---- REST routes ----------------------------------------------------------------------------

/** Every route the app serves, as "METHOD /path" (HEAD, answered with GET, left out). */
function routesOf(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const path = stack.join("");
    for (const method of m[3]!.split(",").map((x) => x.trim())) if (method !== "HEAD") out.push(`${method} ${path}`);
  }
  return out;
}

type Key = Role | "anon" | "otherOrg";
interface RouteRule {
  /** Expected status class per caller (an API key of that role's organisation; anon sends none). */
  expect: Partial<Record<Key, number | number[]>>;
  request: (ctx: { f: Fixtures; as: Key; rest: RestFixtures }) => {
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  };
}
interface RestFixtures {
  conLead: string;
  netLead: string;
}

const KEYED: Key[] = ["anon", ...ROLES];
const all = (status: number): Partial<Record<Key, number | number[]>> =>
  Object.fromEntries(KEYED.map((k) => [k, status]));

/**
 * Expected access of every HTTP route. tRPC's one route is covered procedure by procedure above
 * (its other methods answer 4xx); a route missing here fails "every route is classified".
 */
const ROUTES: Record<string, RouteRule | "trpc"> = {
  "GET /healthz": { expect: all(200), request: () => ({ url: "/healthz" }) },
  // A DJ's calendar feed: its unguessable token is the only credential (a session or key adds nothing).
  "GET /calendar/:file": { expect: all(404), request: () => ({ url: `/calendar/${"x".repeat(43)}.ics` }) },
  "GET /api/v1/me": { expect: { ...all(200), anon: 401 }, request: () => ({ url: "/api/v1/me" }) },
  "POST /api/v1/leads": {
    expect: { anon: 401, admin: 201, seller: 201, contractor: 403, network: 403, dj: 403 },
    request: () => ({
      url: "/api/v1/leads",
      payload: {
        vertical: "roofing",
        zip: "38103",
        contact: { firstName: "Rest", lastName: "Matrix", phone: "9015550123" },
      },
    }),
  },
  "GET /api/v1/leads/:id": {
    expect: { anon: 401, admin: 200, seller: 200, contractor: 404, network: 404, dj: 404, otherOrg: 404 },
    request: ({ f }) => ({ url: `/api/v1/leads/${f.sellerLead}` }),
  },
  "POST /api/v1/leads/:id/return": {
    // 201 when the return is approved at once, 202 when it waits for an admin.
    expect: { anon: 401, admin: 403, seller: 403, dj: 403, contractor: [201, 202], network: [201, 202], otherOrg: 404 },
    request: ({ as, rest }) => ({
      url: `/api/v1/leads/${as === "network" ? rest.netLead : rest.conLead}/return`,
      payload: { reason: "INVALID_PHONE", comment: "Number disconnected." },
    }),
  },
  "GET /api/v1/leads/:id/return": {
    expect: { anon: 401, admin: 403, seller: 403, dj: 403, contractor: 200, network: 200, otherOrg: 404 },
    request: ({ as, rest }) => ({ url: `/api/v1/leads/${as === "network" ? rest.netLead : rest.conLead}/return` }),
  },
  // Ping then post: a seller's key only. The post names a ping nobody made, so the seller's answer is 404.
  "POST /api/v1/ping": {
    expect: { anon: 401, admin: 403, seller: 200, contractor: 403, network: 403, dj: 403 },
    request: () => ({ url: "/api/v1/ping", payload: { vertical: "roofing", zip: "38103" } }),
  },
  "POST /api/v1/post": {
    expect: { anon: 401, admin: 403, seller: 404, contractor: 403, network: 403, dj: 403 },
    request: () => ({
      url: "/api/v1/post",
      payload: {
        pingId: "0f5c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e1f",
        vertical: "roofing",
        zip: "38103",
        contact: { firstName: "Rest", lastName: "Matrix", phone: "9015550124" },
      },
    }),
  },
  // The published contract (docs/api.md): public, it holds no data, and a key changes nothing.
  "GET /api/v1/openapi.json": { expect: all(200), request: () => ({ url: "/api/v1/openapi.json" }) },
  "GET /api/v1/docs": { expect: all(200), request: () => ({ url: "/api/v1/docs" }) },
  // The dashboard's live stream is for a signed-in session (its cookie); an API key opens nothing.
  // Its per-tenant filtering is proven in apps/server/src/live.test.ts.
  "GET /api/live": { expect: all(401), request: () => ({ url: "/api/live" }) },
  // The seller portal's CSV downloads: a signed-in seller's session (cookie) only; an API key opens
  // nothing. Roles and tenants over a session: apps/server/src/seller-exports.test.ts.
  "GET /api/seller/leads.csv": { expect: all(401), request: () => ({ url: "/api/seller/leads.csv" }) },
  "GET /api/seller/statements/:month": { expect: all(401), request: () => ({ url: "/api/seller/statements/2026-03" }) },
  // The admin's compliance uploads: a signed-in admin's session (cookie) only; an API key opens
  // nothing. Sessions, roles and the upload header: apps/server/src/compliance-uploads.test.ts.
  "POST /api/admin/compliance/suppression": {
    expect: all(401),
    request: () => ({
      url: "/api/admin/compliance/suppression",
      payload: "9015550100\n",
      headers: { "content-type": "text/csv", "x-leadflow-upload": "1" },
    }),
  },
  "POST /api/admin/compliance/dnc": {
    expect: all(401),
    request: () => ({
      url: "/api/admin/compliance/dnc",
      payload: "9015550100\n",
      headers: { "content-type": "text/plain", "x-leadflow-upload": "1" },
    }),
  },
  // A buyer's statement downloads: a signed-in session (cookie) only; an API key opens nothing.
  // Roles and tenants over a session: apps/server/src/buyer-statements.test.ts.
  "GET /api/billing/statements/:buyerId/:file": {
    expect: all(401),
    request: () => ({ url: "/api/billing/statements/00000000-0000-4000-8000-000000000000/2026-03.csv" }),
  },
  // Signed by the voice provider, not by an API key: no key makes an unsigned call acceptable.
  "POST /api/calls/webhook": {
    expect: all(400),
    request: () => ({
      url: "/api/calls/webhook",
      payload: "CallSid=CA00000000000000000000000000000000&CallStatus=ringing",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
  },
  "GET /trpc/:path": "trpc",
  "POST /trpc/:path": "trpc",
  "TRACE /trpc/:path": "trpc",
  "DELETE /trpc/:path": "trpc",
  "OPTIONS /trpc/:path": "trpc",
  "PATCH /trpc/:path": "trpc",
  "PUT /trpc/:path": "trpc",
  "QUERY /trpc/:path": "trpc",
};

describe("access matrix: every HTTP route", () => {
  let rest: RestFixtures;
  let restApp: FastifyInstance;
  beforeAll(async () => {
    const { defaultCallSettings } = await import("@leadflow/api");
    restApp = await buildApp({
      services: w.services,
      dashboardDir: "/nonexistent",
      calls: defaultCallSettings({ authToken: "matrix-auth-token-0123456789", callerHashSecret: "m".repeat(64) }),
    });
    rest = { conLead: await soldLead(w, f.conBuyer, "carla"), netLead: await soldLead(w, f.netBuyer, "nate") };
  });
  afterAll(async () => {
    await restApp?.close();
  });

  it("has an expected-access entry for every route (a new route must be classified here)", () => {
    const routes = routesOf(restApp);
    expect(routes.length).toBeGreaterThan(5);
    expect({
      missing: routes.filter((r) => !(r in ROUTES)),
      stale: Object.keys(ROUTES).filter((r) => !routes.includes(r)),
    }).toEqual({ missing: [], stale: [] });
  });

  it("answers each API key (admin, contractor, network, DJ, seller), no key and another organisation's key exactly as expected", async () => {
    const wrong: string[] = [];
    const leaked: string[] = [];
    for (const [route, rule] of Object.entries(ROUTES)) {
      if (rule === "trpc") continue;
      const [method] = route.split(" ") as [string, string];
      const callers: Key[] = [...KEYED, ...(rule.expect.otherOrg ? (["otherOrg"] as Key[]) : [])];
      for (const as of callers) {
        const { url, payload, headers } = rule.request({ f, as, rest });
        const key =
          as === "anon"
            ? undefined
            : as === "otherOrg"
              ? route.includes("/return")
                ? await otherBuyerKey()
                : w.apiKey.otherSeller
              : w.apiKey[as];
        const r = await restApp.inject({
          method: method as "GET",
          url,
          payload: payload as string,
          headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        });
        const want = rule.expect[as];
        if (!(Array.isArray(want) ? want : [want]).includes(r.statusCode))
          wrong.push(`${route} as ${as}: ${r.statusCode} ${r.body.slice(0, 160)}, expected ${want}`);
        if (r.statusCode < 300) {
          const u = as === "anon" || as === "otherOrg" ? null : w.user[as];
          leaked.push(
            ...(await leaks(w, secrets, u, r.body.startsWith("{") || r.body.startsWith("[") ? r.json() : r.body)).map(
              (l) => `${route} as ${as} shows ${l}`,
            ),
          );
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(leaked).toEqual([]);
  });

  it("serves tRPC over HTTP with the same gates: no session 401, a session of the wrong role 403, and other methods refused", async () => {
    const { sessionCookie } = await import("../proofs-input/harness");
    const cookie = async (r: Role) => sessionCookie(w.db, w.services.clock, w.user[r]);
    expect((await restApp.inject({ method: "GET", url: "/trpc/auth.whoami" })).statusCode).toBe(401);
    expect(
      (await restApp.inject({ method: "GET", url: "/trpc/auth.whoami", headers: { cookie: await cookie("dj") } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await restApp.inject({ method: "GET", url: "/trpc/admin.orgs", headers: { cookie: await cookie("seller") } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await restApp.inject({ method: "GET", url: "/trpc/admin.orgs", headers: { cookie: await cookie("admin") } }))
        .statusCode,
    ).toBe(200);
    // An API key is not a session: the dashboard API does not take it.
    expect(
      (
        await restApp.inject({
          method: "GET",
          url: "/trpc/auth.whoami",
          headers: { authorization: `Bearer ${w.apiKey.admin}` },
        })
      ).statusCode,
    ).toBe(401);
    for (const method of ["PUT", "DELETE", "PATCH"] as const) {
      const r = await restApp.inject({ method, url: "/trpc/admin.orgs", headers: { cookie: await cookie("admin") } });
      expect(r.statusCode, method).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, method).toBeLessThan(500);
    }
  });
});

async function otherBuyerKey(): Promise<string> {
  const { createApiKey } = await import("@leadflow/api");
  return (await createApiKey(w.db, w.other.contractor.orgId, "other buyer")).key;
}
