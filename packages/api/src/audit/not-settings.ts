// Mutations that are not settings changes, each with the reason it is not in the audit log. The
// coverage test (audit.test.ts) enumerates every mutation of appRouter: each is either wrapped by
// `audited` (or marked with `markAudited`) or listed here, so a new mutation fails until classified.
export const NOT_SETTINGS: Record<string, string> = {
  "auth.login": "a session, not a setting; sign-ins have their own rate limit and log line",
  "auth.logout": "ends the caller's own session",
  "leads.submit": "a lead: its own history is the lead's events",
  "insight.replay": "reads: re-runs an auction's decision without writing anything",
  "marketPublic.calculatorViewed": "an anonymous funnel counter",
  "marketPublic.inquire": "a couple's inquiry: a marketplace lead with its own events",
  "marketDj.respond": "a DJ's answer to an offer: recorded in market_lead_events",
  "marketDj.unlock": "spends a credit: recorded in credit_ledger and contact_unlocks",
  "marketDj.markBooked": "an outcome of a lead: recorded in market_lead_events",
  "marketDj.buyCredits": "a purchase: recorded in credit_ledger",
  "marketDj.setAvailability": "a day on the DJ's calendar, not a setting of the account",
  "djNotify.subscribePush": "a browser's push subscription (a device), not a setting",
  "djNotify.unsubscribePush": "removes a browser's push subscription (a device)",
  "marketAdmin.assign": "a lead's assignment: recorded in market_lead_events",
  "marketAdmin.grantCredits": "money: recorded in credit_ledger with the admin and the note",
  "marketAdmin.recompute": "recomputes derived statistics; changes no setting",
  "returns.request": "a return request: it is its own record, with who asked and when",
  "returns.decide": "a return decision: stored on the request with the deciding admin",
  "calls.attribute": "a call's attribution to a lead, an outcome of the call",
  "calls.markConverted": "a lead's outcome, reported by the DJ",
  "email.resend": "sends an email again; the outbox row records it",
  "sellerWebhooks.sendTest": "sends a test event; the delivery row records it",
};
