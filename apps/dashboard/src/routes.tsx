// What each role can open. A domain adds its pages here: the nav and the router both read this.
import { type ComponentType, type ReactNode } from "react";
import { Navigate } from "react-router";
import { lazyChunk } from "./components/lazyChunk";

/**
 * Every page is its own chunk, fetched when first opened: the first screen downloads React, the
 * router and the shell, not recharts and forty pages (the size budget: apps/e2e/tests/size-budget.spec.ts).
 * App.tsx wraps each route in one Suspense with the loading state; a chunk that fails to download
 * shows a message with a reload button (components/lazyChunk.tsx).
 */
function lazyPage<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  // The cast keeps the page's own props type, so `<AnalyticsRoute page="lost" />` is still checked.
  return lazyChunk(async () => (await load())[name] as unknown as ComponentType<unknown>) as unknown as M[K];
}

const AdminHome = lazyPage(() => import("./homes/AdminHome"), "AdminHome");
const ContractorHome = lazyPage(() => import("./homes/ContractorHome"), "ContractorHome");
const DjHome = lazyPage(() => import("./homes/DjHome"), "DjHome");
const NetworkHome = lazyPage(() => import("./homes/NetworkHome"), "NetworkHome");
const ApiKeysPage = lazyPage(() => import("./pages/ApiKeysPage"), "ApiKeysPage");
const OutboxPage = lazyPage(() => import("./pages/email/OutboxPage"), "OutboxPage");
const BuyersAdminPage = lazyPage(() => import("./pages/auction/BuyersAdminPage"), "BuyersAdminPage");
const DeliverySettingsPage = lazyPage(() => import("./pages/auction/DeliverySettingsPage"), "DeliverySettingsPage");
const ImportExportPage = lazyPage(() => import("./pages/auction/ImportExportPage"), "ImportExportPage");
const LeadPage = lazyPage(() => import("./pages/auction/LeadPage"), "LeadPage");
const AnalyticsRoute = lazyPage(() => import("./pages/analytics/AnalyticsRoute"), "AnalyticsRoute");
const AdminDjsPage = lazyPage(() => import("./pages/marketplace/AdminDjsPage"), "AdminDjsPage");
const AdminLeadsPage = lazyPage(() => import("./pages/marketplace/AdminLeadsPage"), "AdminLeadsPage");
const AdminMarketplacePage = lazyPage(() => import("./pages/marketplace/AdminMarketplacePage"), "AdminMarketplacePage");
const AdminCityWindowsPage = lazyPage(() => import("./pages/marketplace/AdminCityWindowsPage"), "AdminCityWindowsPage");
const DjCalendarPage = lazyPage(() => import("./pages/marketplace/DjCalendarPage"), "DjCalendarPage");
const DjNotifyPage = lazyPage(() => import("./pages/marketplace/DjNotifyPage"), "DjNotifyPage");
const OfferLinkPage = lazyPage(() => import("./pages/marketplace/OfferLinkPage"), "OfferLinkPage");
const DjCreditsPage = lazyPage(() => import("./pages/marketplace/DjCreditsPage"), "DjCreditsPage");
const DjWhyNotPage = lazyPage(() => import("./pages/insight/DjWhyNotPage"), "DjWhyNotPage");
const AdminReplayPage = lazyPage(() => import("./pages/insight/ReplayPage"), "AdminReplayPage");
const ReplayPage = lazyPage(() => import("./pages/insight/ReplayPage"), "ReplayPage");
const TimelineIndexPage = lazyPage(() => import("./pages/insight/TimelineIndexPage"), "TimelineIndexPage");
const TimelinePage = lazyPage(() => import("./pages/insight/TimelinePage"), "TimelinePage");
const AdminWhyNotPage = lazyPage(() => import("./pages/insight/WhyNotPage"), "AdminWhyNotPage");
const WhyNotPage = lazyPage(() => import("./pages/insight/WhyNotPage"), "WhyNotPage");
const AdminCallsPage = lazyPage(() => import("./pages/calls/AdminCallsPage"), "AdminCallsPage");
const DjCallsPage = lazyPage(() => import("./pages/calls/DjCallsPage"), "DjCallsPage");
const CompliancePage = lazyPage(() => import("./pages/compliance/CompliancePage"), "CompliancePage");
const AdminReturnsPage = lazyPage(() => import("./pages/returns/AdminReturnsPage"), "AdminReturnsPage");
const BuyerReturnsPage = lazyPage(() => import("./pages/returns/BuyerReturnsPage"), "BuyerReturnsPage");
const AdminBillingPage = lazyPage(() => import("./pages/billing/BillingPage"), "AdminBillingPage");
const BuyerBillingPage = lazyPage(() => import("./pages/billing/BillingPage"), "BuyerBillingPage");
const SearchPage = lazyPage(() => import("./pages/search/SearchPage"), "SearchPage");
const SellerReturnsPage = lazyPage(() => import("./pages/returns/SellerReturnsPage"), "SellerReturnsPage");
const SellerHomePage = lazyPage(() => import("./pages/sellers/SellerHomePage"), "SellerHomePage");
const SellerLeadsPage = lazyPage(() => import("./pages/sellers/SellerLeadsPage"), "SellerLeadsPage");
const SellerLeadPage = lazyPage(() => import("./pages/sellers/SellerLeadPage"), "SellerLeadPage");
const SellerEarningsPage = lazyPage(() => import("./pages/sellers/SellerEarningsPage"), "SellerEarningsPage");
const SellerTermsPage = lazyPage(() => import("./pages/sellers/SellerTermsPage"), "SellerTermsPage");
const SellerWebhooksPage = lazyPage(() => import("./pages/sellers/SellerWebhooksPage"), "SellerWebhooksPage");
const NetworkTermsPage = lazyPage(() => import("./pages/auction/NetworkTermsPage"), "NetworkTermsPage");
const AuditLogPage = lazyPage(() => import("./pages/audit/AuditLogPage"), "AuditLogPage");
const UsersPage = lazyPage(() => import("./pages/users/UsersPage"), "UsersPage");
const AccountPage = lazyPage(() => import("./pages/users/AccountPage"), "AccountPage");
const SourcesPage = lazyPage(() => import("./pages/sellers/SourcesPage"), "SourcesPage");

export type Role = "admin" | "contractor" | "network" | "dj" | "seller";

export interface RoleRoute {
  path: string;
  label: string;
  element: ReactNode;
  /** Shown in the navigation (default true). */
  nav?: boolean;
}

/** The top bar's search opens this for every role; it lists only that role's own leads. */
const SEARCH: RoleRoute = { path: "/search", label: "Search", element: <SearchPage />, nav: false };
/** The top bar's "Account" link opens this for every role: who you are, and changing your password. */
const ACCOUNT: RoleRoute = { path: "/account", label: "Your account", element: <AccountPage />, nav: false };

export const ROLE_ROUTES: Record<Role, RoleRoute[]> = {
  admin: [
    { path: "/", label: "Overview", element: <AdminHome /> },
    SEARCH,
    ACCOUNT,
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
    { path: "/buyers", label: "Buyers", element: <BuyersAdminPage /> },
    { path: "/buyers/transfer", label: "Import / export", element: <ImportExportPage />, nav: false },
    { path: "/analytics/lost-reasons", label: "Analytics", element: <AnalyticsRoute page="lost" /> },
    { path: "/analytics/buyers", label: "Buyer analytics", element: <AnalyticsRoute page="buyers" />, nav: false },
    { path: "/analytics/revenue", label: "Revenue analytics", element: <AnalyticsRoute page="revenue" />, nav: false },
    {
      path: "/analytics/marketplace",
      label: "Marketplace analytics",
      element: <AnalyticsRoute page="marketplace" />,
      nav: false,
    },
    {
      path: "/auction/lost-reasons",
      label: "Lost reasons",
      element: <Navigate to="/analytics/lost-reasons" replace />,
      nav: false,
    },
    { path: "/returns", label: "Returns", element: <AdminReturnsPage /> },
    { path: "/compliance", label: "Compliance", element: <CompliancePage /> },
    { path: "/billing", label: "Billing", element: <AdminBillingPage /> },
    { path: "/sources", label: "Sources", element: <SourcesPage /> },
    { path: "/timeline", label: "Lead timelines", element: <TimelineIndexPage /> },
    { path: "/leads/:id", label: "Lead", element: <TimelinePage />, nav: false },
    { path: "/insight/why-not", label: "Why not", element: <AdminWhyNotPage /> },
    { path: "/insight/replay", label: "What-if replay", element: <AdminReplayPage /> },
    { path: "/marketplace", label: "Marketplace", element: <AdminMarketplacePage /> },
    { path: "/marketplace/djs", label: "DJs", element: <AdminDjsPage /> },
    { path: "/marketplace/leads", label: "DJ leads", element: <AdminLeadsPage /> },
    { path: "/marketplace/windows", label: "City windows", element: <AdminCityWindowsPage /> },
    { path: "/calls", label: "Calls", element: <AdminCallsPage /> },
    { path: "/outbox", label: "Outbox", element: <OutboxPage admin /> },
    { path: "/users", label: "Users", element: <UsersPage /> },
    { path: "/audit", label: "Audit log", element: <AuditLogPage admin /> },
  ],
  contractor: [
    { path: "/", label: "Home", element: <ContractorHome /> },
    SEARCH,
    ACCOUNT,
    { path: "/settings", label: "Delivery settings", element: <DeliverySettingsPage /> },
    { path: "/outbox", label: "Emails", element: <OutboxPage /> },
    { path: "/returns", label: "Returns", element: <BuyerReturnsPage /> },
    { path: "/billing", label: "Billing", element: <BuyerBillingPage /> },
    { path: "/leads/:id", label: "Lead", element: <LeadPage />, nav: false },
    { path: "/why-not", label: "Why not", element: <WhyNotPage /> },
    { path: "/replay", label: "What-if replay", element: <ReplayPage /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
  ],
  network: [
    { path: "/", label: "Home", element: <NetworkHome /> },
    SEARCH,
    ACCOUNT,
    { path: "/terms", label: "Your terms", element: <NetworkTermsPage /> },
    { path: "/returns", label: "Returns", element: <BuyerReturnsPage /> },
    { path: "/billing", label: "Billing", element: <BuyerBillingPage /> },
    { path: "/leads/:id", label: "Lead", element: <LeadPage />, nav: false },
    { path: "/why-not", label: "Why not", element: <WhyNotPage /> },
    { path: "/replay", label: "What-if replay", element: <ReplayPage /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
    { path: "/audit", label: "Audit log", element: <AuditLogPage /> },
  ],
  dj: [
    { path: "/", label: "Inbox", element: <DjHome /> },
    SEARCH,
    ACCOUNT,
    { path: "/calendar", label: "Calendar and prices", element: <DjCalendarPage /> },
    { path: "/credits", label: "Credits", element: <DjCreditsPage /> },
    { path: "/offers", label: "Offer outcomes", element: <DjWhyNotPage /> },
    { path: "/calls", label: "Calls", element: <DjCallsPage /> },
    { path: "/notifications", label: "Notifications", element: <DjNotifyPage /> },
    { path: "/outbox", label: "Emails", element: <OutboxPage /> },
    { path: "/offer", label: "Offer", element: <OfferLinkPage />, nav: false },
  ],
  seller: [
    { path: "/", label: "Home", element: <SellerHomePage /> },
    SEARCH,
    ACCOUNT,
    { path: "/leads", label: "Leads", element: <SellerLeadsPage /> },
    { path: "/leads/:id", label: "Lead", element: <SellerLeadPage />, nav: false },
    { path: "/earnings", label: "Earnings", element: <SellerEarningsPage /> },
    { path: "/returns", label: "Returned leads", element: <SellerReturnsPage /> },
    { path: "/terms", label: "Your terms", element: <SellerTermsPage /> },
    { path: "/webhooks", label: "Webhooks", element: <SellerWebhooksPage /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
  ],
};

export const ROLE_TITLES: Record<Role, string> = {
  admin: "Admin",
  contractor: "Contractor",
  network: "Network buyer",
  dj: "DJ",
  seller: "Lead seller",
};
