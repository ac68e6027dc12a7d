// What each role can open. A domain adds its pages here: the nav and the router both read this.
import type { ReactNode } from "react";
import { Navigate } from "react-router";
import { AdminHome } from "./homes/AdminHome";
import { ContractorHome } from "./homes/ContractorHome";
import { DjHome } from "./homes/DjHome";
import { NetworkHome } from "./homes/NetworkHome";
import { SellerHome } from "./homes/SellerHome";
import { ApiKeysPage } from "./pages/ApiKeysPage";
import { OutboxPage } from "./pages/email/OutboxPage";
import { BuyersAdminPage } from "./pages/auction/BuyersAdminPage";
import { DeliverySettingsPage } from "./pages/auction/DeliverySettingsPage";
import { ImportExportPage } from "./pages/auction/ImportExportPage";
import { LeadPage } from "./pages/auction/LeadPage";
import { AnalyticsRoute } from "./pages/analytics/AnalyticsRoute";
import { AdminDjsPage } from "./pages/marketplace/AdminDjsPage";
import { AdminLeadsPage } from "./pages/marketplace/AdminLeadsPage";
import { AdminMarketplacePage } from "./pages/marketplace/AdminMarketplacePage";
import { DjCalendarPage } from "./pages/marketplace/DjCalendarPage";
import { DjCreditsPage } from "./pages/marketplace/DjCreditsPage";
import { DjWhyNotPage } from "./pages/insight/DjWhyNotPage";
import { AdminReplayPage, ReplayPage } from "./pages/insight/ReplayPage";
import { TimelineIndexPage } from "./pages/insight/TimelineIndexPage";
import { TimelinePage } from "./pages/insight/TimelinePage";
import { AdminWhyNotPage, WhyNotPage } from "./pages/insight/WhyNotPage";
import { AdminCallsPage } from "./pages/calls/AdminCallsPage";
import { DjCallsPage } from "./pages/calls/DjCallsPage";
import { AdminReturnsPage } from "./pages/returns/AdminReturnsPage";
import { BuyerReturnsPage } from "./pages/returns/BuyerReturnsPage";
import { SellerReturnsPage } from "./pages/returns/SellerReturnsPage";
import { SellerTermsPage } from "./pages/sellers/SellerTermsPage";
import { SourcesPage } from "./pages/sellers/SourcesPage";

export type Role = "admin" | "contractor" | "network" | "dj" | "seller";

export interface RoleRoute {
  path: string;
  label: string;
  element: ReactNode;
  /** Shown in the navigation (default true). */
  nav?: boolean;
}

export const ROLE_ROUTES: Record<Role, RoleRoute[]> = {
  admin: [
    { path: "/", label: "Overview", element: <AdminHome /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
    { path: "/buyers", label: "Buyers", element: <BuyersAdminPage /> },
    { path: "/buyers/transfer", label: "Import / export", element: <ImportExportPage />, nav: false },
    { path: "/analytics/lost-reasons", label: "Analytics", element: <AnalyticsRoute page="lost" /> },
    { path: "/analytics/buyers", label: "Buyer analytics", element: <AnalyticsRoute page="buyers" />, nav: false },
    { path: "/analytics/revenue", label: "Revenue analytics", element: <AnalyticsRoute page="revenue" />, nav: false },
    { path: "/analytics/marketplace", label: "Marketplace analytics", element: <AnalyticsRoute page="marketplace" />, nav: false },
    { path: "/auction/lost-reasons", label: "Lost reasons", element: <Navigate to="/analytics/lost-reasons" replace />, nav: false },
    { path: "/returns", label: "Returns", element: <AdminReturnsPage /> },
    { path: "/sources", label: "Sources", element: <SourcesPage /> },
    { path: "/timeline", label: "Lead timelines", element: <TimelineIndexPage /> },
    { path: "/leads/:id", label: "Lead", element: <TimelinePage />, nav: false },
    { path: "/insight/why-not", label: "Why not", element: <AdminWhyNotPage /> },
    { path: "/insight/replay", label: "What-if replay", element: <AdminReplayPage /> },
    { path: "/marketplace", label: "Marketplace", element: <AdminMarketplacePage /> },
    { path: "/marketplace/djs", label: "DJs", element: <AdminDjsPage /> },
    { path: "/marketplace/leads", label: "DJ leads", element: <AdminLeadsPage /> },
    { path: "/calls", label: "Calls", element: <AdminCallsPage /> },
    { path: "/outbox", label: "Outbox", element: <OutboxPage admin /> },
  ],
  contractor: [
    { path: "/", label: "Home", element: <ContractorHome /> },
    { path: "/settings", label: "Delivery settings", element: <DeliverySettingsPage /> },
    { path: "/outbox", label: "Emails", element: <OutboxPage /> },
    { path: "/returns", label: "Returns", element: <BuyerReturnsPage /> },
    { path: "/leads/:id", label: "Lead", element: <LeadPage />, nav: false },
    { path: "/why-not", label: "Why not", element: <WhyNotPage /> },
    { path: "/replay", label: "What-if replay", element: <ReplayPage /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
  ],
  network: [
    { path: "/", label: "Home", element: <NetworkHome /> },
    { path: "/returns", label: "Returns", element: <BuyerReturnsPage /> },
    { path: "/leads/:id", label: "Lead", element: <LeadPage />, nav: false },
    { path: "/why-not", label: "Why not", element: <WhyNotPage /> },
    { path: "/replay", label: "What-if replay", element: <ReplayPage /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
  ],
  dj: [
    { path: "/", label: "Inbox", element: <DjHome /> },
    { path: "/calendar", label: "Calendar and prices", element: <DjCalendarPage /> },
    { path: "/credits", label: "Credits", element: <DjCreditsPage /> },
    { path: "/offers", label: "Offer outcomes", element: <DjWhyNotPage /> },
    { path: "/calls", label: "Calls", element: <DjCallsPage /> },
  ],
  seller: [
    { path: "/", label: "Home", element: <SellerHome /> },
    { path: "/returns", label: "Returned leads", element: <SellerReturnsPage /> },
    { path: "/terms", label: "Your terms", element: <SellerTermsPage /> },
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
