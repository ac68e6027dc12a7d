// Pages anyone can open, signed in or not: the price calculator, the inquiry form and the
// customer's comparison page. App.tsx renders these before asking who the visitor is.
import { formatCents } from "@leadflow/engine";
import { Link, Route, Routes } from "react-router";
import { ComparePage } from "./ComparePage";
import { DjProfilePage } from "../pages/calls/DjProfilePage";
import { InquirePage } from "./InquirePage";
import { PricesPage } from "./PricesPage";

export { isPublicPath, PUBLIC_PATH } from "./paths";

export function PublicRoutes() {
  return (
    <div className="shell">
      <header className="topbar">
        <Link className="brand" to="/prices">
          LeadFlow DJs
        </Link>
        <nav aria-label="Public" className="public-nav">
          <Link to="/prices">Prices</Link>
          <Link to="/inquire">Get quotes</Link>
        </nav>
      </header>
      <main id="main" className="content">
        <Routes>
          <Route path="/prices" element={<PricesPage />} />
          <Route path="/inquire" element={<InquirePage />} />
          <Route path="/compare/:token" element={<ComparePage />} />
          <Route path="/djs/:id" element={<DjProfilePage />} />
        </Routes>
      </main>
    </div>
  );
}

export const usd = (cents: number) => formatCents(cents, { trimZeroCents: true });
