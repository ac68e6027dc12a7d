import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useLocation } from "react-router";
import { Field } from "../components/Field";
import { fieldErrorsOf, messageOf, useTRPC } from "../trpc";

export function LoginPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { search } = useLocation();
  const opensOffer = (new URLSearchParams(search).get("next") ?? "").startsWith("/offer");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (user) => qc.setQueryData(trpc.auth.me.queryKey(), user),
    }),
  );
  const fe = fieldErrorsOf(login.error);
  const general = login.error && !Object.keys(fe).length ? messageOf(login.error) : null;
  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate({ email, password });
  }
  return (
    <main className="center">
      <form className="card login" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">Sign in to LeadFlow</h1>
        {opensOffer ? <p className="hint">Sign in to open the offer from your message.</p> : null}
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fe.email}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fe.password}
        />
        {general ? (
          <p className="error" role="alert">
            {general}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
