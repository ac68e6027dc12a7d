// What each role can open. A domain adds its pages here: the nav and the router both read this.
import type { ReactNode } from "react";
import { AdminHome } from "./homes/AdminHome";
import { ContractorHome } from "./homes/ContractorHome";
import { DjHome } from "./homes/DjHome";
import { NetworkHome } from "./homes/NetworkHome";
import { SellerHome } from "./homes/SellerHome";
import { ApiKeysPage } from "./pages/ApiKeysPage";

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
  ],
  contractor: [
    { path: "/", label: "Home", element: <ContractorHome /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
  ],
  network: [
    { path: "/", label: "Home", element: <NetworkHome /> },
    { path: "/keys", label: "API keys", element: <ApiKeysPage /> },
  ],
  dj: [{ path: "/", label: "Home", element: <DjHome /> }],
  seller: [
    { path: "/", label: "Home", element: <SellerHome /> },
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
