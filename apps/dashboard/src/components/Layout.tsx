import { useMutation, useQueryClient } from "@tanstack/react-query";
import { NavLink, Outlet, useNavigate } from "react-router";
import { ROLE_ROUTES, ROLE_TITLES, type Role } from "../routes";
import { useLiveInvalidate } from "../live";
import { useTRPC } from "../trpc";
import { LowBalanceBanner } from "./LowBalanceBanner";
import { TopSearch } from "./TopSearch";

export function Layout({ user }: { user: { name: string; orgName: string; role: Role } }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const navigate = useNavigate();
  useLiveInvalidate();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: async () => {
        // Forget everything the previous user loaded, then show the login page.
        const meKey = trpc.auth.me.queryKey();
        qc.removeQueries({ predicate: (q) => JSON.stringify(q.queryKey) !== JSON.stringify(meKey) });
        qc.setQueryData(meKey, null);
        await navigate("/login");
      },
    }),
  );
  const links = ROLE_ROUTES[user.role].filter((r) => r.nav !== false);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">LeadFlow</span>
        <span className="who">
          <span className="role-badge">{ROLE_TITLES[user.role]}</span> {user.orgName}
        </span>
        <TopSearch />
        <NavLink to="/account" className="link-button">
          Account
        </NavLink>
        <button type="button" className="link-button" onClick={() => logout.mutate()} disabled={logout.isPending}>
          Sign out
        </button>
      </header>
      <nav aria-label="Main" className="nav">
        {links.map((l) => (
          <NavLink key={l.path} to={l.path} end={l.path === "/"}>
            {l.label}
          </NavLink>
        ))}
      </nav>
      <main id="main" className="content">
        {user.role === "contractor" || user.role === "network" ? <LowBalanceBanner /> : null}
        <Outlet />
      </main>
    </div>
  );
}
