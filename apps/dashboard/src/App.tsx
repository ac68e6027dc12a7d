import { useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout";
import { lazyChunk } from "./components/lazyChunk";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { isPublicPath } from "./public/paths";
import { ROLE_ROUTES } from "./routes";
import { useTRPC } from "./trpc";

const ResetPasswordPage = lazyChunk(() => import("./pages/users/ResetPasswordPage").then((m) => m.ResetPasswordPage));
const PublicRoutes = lazyChunk(() => import("./public/PublicRoutes").then((m) => m.PublicRoutes));

/** What a page shows while its code downloads: announced to screen readers, no layout jump. */
export function PageLoading() {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading…
    </p>
  );
}

/** Public pages first; everything else needs a session and shows the routes of the user's role. */
export function App() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const { pathname, search } = useLocation();
  // An emailed password link works whoever is signed in on this browser.
  if (pathname === "/reset-password") {
    return (
      <Suspense fallback={<PageLoading />}>
        <ResetPasswordPage />
      </Suspense>
    );
  }
  // The marketplace's public pages look the same to everyone, signed in or not.
  if (isPublicPath(pathname)) {
    return (
      <Suspense fallback={<PageLoading />}>
        <PublicRoutes />
      </Suspense>
    );
  }
  if (me.isPending) return <PageLoading />;
  if (me.isError) {
    return (
      <main className="center">
        <p role="alert">We couldn't reach LeadFlow. Check your connection and reload the page.</p>
      </main>
    );
  }
  const user = me.data;
  if (!user) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* The page asked for (a one-tap offer link, a bookmark) opens once signed in. */}
        <Route
          path="*"
          element={
            <Navigate
              to={pathname === "/" ? "/login" : `/login?next=${encodeURIComponent(pathname + search)}`}
              replace
            />
          }
        />
      </Routes>
    );
  }
  const routes = ROLE_ROUTES[user.role];
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={afterLogin(search)} replace />} />
      <Route element={<Layout user={user} />}>
        {routes.map((r) => (
          <Route key={r.path} path={r.path} element={<Suspense fallback={<PageLoading />}>{r.element}</Suspense>} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** Where a sign-in goes: the page it interrupted, when that is a path on this site, else home. */
export function afterLogin(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
