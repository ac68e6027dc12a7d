// The signed-in user's own account: who they are, and changing their password (the current one
// is required; every other session of theirs ends, this one stays).
import { PASSWORD_MIN } from "@leadflow/engine";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { useEditForm } from "../../components/form";
import { ROLE_LABELS } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";

const EMPTY = { currentPassword: "", newPassword: "", repeat: "" };

export function AccountPage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const form = useEditForm(EMPTY);
  const [done, setDone] = useState<string | null>(null);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: (r) => {
        form.reset(EMPTY);
        setDone(
          r.sessionsEnded > 0
            ? `Password changed. You were signed out on ${r.sessionsEnded} other device${r.sessionsEnded === 1 ? "" : "s"}.`
            : "Password changed.",
        );
      },
      onError: form.failed,
    }),
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const input = { currentPassword: form.values.currentPassword, newPassword: form.values.newPassword };
    const { changePasswordErrors } = await import("@leadflow/api/forms");
    const local: Record<string, string[]> = { ...changePasswordErrors(input) };
    if (!local.newPassword && form.values.repeat !== form.values.newPassword)
      local.repeat = ["The two new passwords differ. Type the same one twice."];
    if (!form.check(local)) {
      change.reset();
      return;
    }
    change.mutate(input);
  }
  const errors = form.errors(fieldErrorsOf(change.error));
  const u = me.data;
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      {u ? (
        <dl className="facts">
          <dt>Name</dt>
          <dd>{u.name}</dd>
          <dt>Email</dt>
          <dd className="break">{u.email}</dd>
          <dt>Organisation</dt>
          <dd>{u.orgName}</dd>
          <dt>Role</dt>
          <dd>{ROLE_LABELS[u.role]}</dd>
        </dl>
      ) : null}
      <h2>Change password</h2>
      <form
        ref={form.formRef}
        onSubmit={(e) => void submit(e)}
        noValidate
        className="card"
        aria-label="Change password"
      >
        {form.leaveWarning}
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={form.values.currentPassword}
          onChange={(e) => form.set({ currentPassword: e.target.value })}
          errors={errors.currentPassword}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={form.values.newPassword}
          onChange={(e) => form.set({ newPassword: e.target.value })}
          errors={errors.newPassword}
          hint={`At least ${PASSWORD_MIN} characters. Your other devices are signed out.`}
        />
        <Field
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={form.values.repeat}
          onChange={(e) => form.set({ repeat: e.target.value })}
          errors={errors.repeat}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={change.isPending}>
            Change password
          </button>
        </div>
        {change.error && !Object.keys(errors).length ? (
          <p className="error" role="alert">
            {messageOf(change.error)}
          </p>
        ) : null}
        {done ? (
          <p className="notice" role="status">
            {done}
          </p>
        ) : null}
      </form>
    </section>
  );
}
