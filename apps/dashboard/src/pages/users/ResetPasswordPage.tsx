// The page behind an emailed password link (/reset-password#<token>): the token travels after the
// "#", so it never reaches a server or proxy log. Choosing the password uses the link up and signs
// the user out everywhere; then they sign in.
import { PASSWORD_MIN } from "@leadflow/engine";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Field } from "../../components/Field";
import { useEditForm } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";

const EMPTY = { password: "", repeat: "" };

export function ResetPasswordPage() {
  const trpc = useTRPC();
  const [token] = useState(() => window.location.hash.replace(/^#/, ""));
  const form = useEditForm(EMPTY);
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: () => form.reset(EMPTY),
      onError: form.failed,
    }),
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { token, password: form.values.password };
    const { resetPasswordErrors } = await import("@leadflow/api/forms");
    const local: Record<string, string[]> = { ...resetPasswordErrors(input) };
    if (!local.password && form.values.repeat !== form.values.password)
      local.repeat = ["The two passwords differ. Type the same one twice."];
    if (!form.check(local)) {
      reset.reset();
      return;
    }
    reset.mutate(input);
  }
  const errors = form.errors(fieldErrorsOf(reset.error));
  const linkProblem = errors.token?.join(" ");
  return (
    <main className="center" id="main">
      {reset.isSuccess ? (
        <div className="card login" role="status">
          <h1>Password set</h1>
          <p>Your new password works now. You were signed out everywhere else.</p>
          <Link to="/login">Sign in</Link>
        </div>
      ) : (
        <form
          ref={form.formRef}
          className="card login"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-labelledby="reset-title"
        >
          <h1 id="reset-title">Choose your password</h1>
          {!token ? (
            <p className="error" role="alert">
              This page needs the link from your email. Open the link again, or ask an admin for a new one.
            </p>
          ) : null}
          {linkProblem ? (
            <p className="error" role="alert" data-form-problem tabIndex={-1}>
              {linkProblem}
            </p>
          ) : null}
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            value={form.values.password}
            onChange={(e) => form.set({ password: e.target.value })}
            errors={errors.password}
            hint={`At least ${PASSWORD_MIN} characters.`}
          />
          <Field
            label="New password again"
            type="password"
            autoComplete="new-password"
            value={form.values.repeat}
            onChange={(e) => form.set({ repeat: e.target.value })}
            errors={errors.repeat}
          />
          {reset.error && !Object.keys(errors).length ? (
            <p className="error" role="alert">
              {messageOf(reset.error)}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={reset.isPending || !token}>
            Set password
          </button>
        </form>
      )}
    </main>
  );
}
