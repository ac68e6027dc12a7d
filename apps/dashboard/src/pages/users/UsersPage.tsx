// The admin's users (docs/users.md): everyone who signs in to LeadFlow, filtered by organisation,
// role and whether active; add a person (they get an email with a link to choose their password),
// change a name or role, deactivate (signed out everywhere at once) or reactivate, and email a
// password link. Every change is in the audit log.
import { ROLES_FOR_ORG_KIND, type UserRole } from "@leadflow/engine";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { useFormState, useUnsavedChanges } from "../../components/form";
import { dateTime } from "../../format/time";
import { ORG_KIND_LABELS, ROLE_LABELS } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC, type RouterOutputs } from "../../trpc";

type User = RouterOutputs["users"]["list"][number];
type Filter = { orgId: string; role: string; active: string };
const NEW = { orgId: "", email: "", name: "", role: "" };
const NO_EDIT = { id: "", name: "", role: "" };

export function UsersPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const orgs = useQuery(trpc.admin.orgs.queryOptions());
  const [filter, setFilter] = useState<Filter>({ orgId: "", role: "", active: "true" });
  const list = useQuery(
    trpc.users.list.queryOptions({
      orgId: filter.orgId || undefined,
      role: (filter.role || undefined) as UserRole | undefined,
      active: filter.active === "" ? undefined : filter.active === "true",
    }),
  );
  const [done, setDone] = useState<string | null>(null);
  const invalidate = async (what: string) => {
    setDone(what);
    await qc.invalidateQueries(trpc.users.pathFilter());
    await qc.invalidateQueries(trpc.admin.orgs.pathFilter());
  };

  const add = useFormState(NEW);
  const edit = useFormState(NO_EDIT);
  const leaveWarning = useUnsavedChanges(add.dirty || edit.dirty);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async () => {
        add.reset(NEW);
        await invalidate("User added. They have an email with a link to choose their password.");
      },
      onError: add.failed,
    }),
  );
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: async () => {
        edit.reset(NO_EDIT);
        await invalidate("User saved.");
      },
      onError: edit.failed,
    }),
  );
  const deactivate = useMutation(
    trpc.users.deactivate.mutationOptions({ onSuccess: () => invalidate("User deactivated and signed out.") }),
  );
  const reactivate = useMutation(
    trpc.users.reactivate.mutationOptions({ onSuccess: () => invalidate("User reactivated.") }),
  );
  const sendReset = useMutation(
    trpc.users.sendPasswordReset.mutationOptions({
      onSuccess: () => setDone("Password link emailed. It works once, for one hour."),
    }),
  );
  const rowError = deactivate.error ?? reactivate.error ?? sendReset.error;

  const kindOf = (orgId: string) => orgs.data?.find((o) => o.id === orgId)?.kind;
  const rolesFor = (orgId: string): readonly UserRole[] => {
    const k = kindOf(orgId);
    return k ? ROLES_FOR_ORG_KIND[k] : [];
  };

  async function submitAdd(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const roles = rolesFor(add.values.orgId);
    const input = {
      orgId: add.values.orgId,
      email: add.values.email.trim(),
      name: add.values.name.trim(),
      role: (add.values.role || roles[0] || "") as UserRole,
    };
    const { userCreateErrors } = await import("@leadflow/api/forms");
    if (!add.check(userCreateErrors(input))) {
      create.reset();
      return;
    }
    create.mutate(input);
  }
  async function submitEdit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const input = { id: edit.values.id, name: edit.values.name.trim(), role: edit.values.role as UserRole };
    const { userUpdateErrors } = await import("@leadflow/api/forms");
    if (!edit.check(userUpdateErrors(input))) {
      update.reset();
      return;
    }
    update.mutate(input);
  }
  const addErrors = add.errors(fieldErrorsOf(create.error));
  const editErrors = edit.errors(fieldErrorsOf(update.error));
  const editing = list.data?.find((u) => u.id === edit.values.id);

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <p className="hint">
        Everyone who signs in to LeadFlow. A new user gets an email with a one-time link to choose a password. A
        deactivated user is signed out at once and can't sign in until reactivated. Every change is in the audit log.
      </p>
      {leaveWarning}
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}

      <h2>Add a user</h2>
      <form ref={add.formRef} onSubmit={(e) => void submitAdd(e)} noValidate className="grid3" aria-label="Add a user">
        <div className="field">
          <label htmlFor="user-org">Organisation</label>
          <select
            id="user-org"
            value={add.values.orgId}
            aria-invalid={addErrors.orgId?.length ? true : undefined}
            aria-describedby={addErrors.orgId?.length ? "user-org-err" : undefined}
            onChange={(e) => add.set({ orgId: e.target.value, role: rolesFor(e.target.value)[0] ?? "" })}
          >
            <option value="">Choose…</option>
            {(orgs.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({ORG_KIND_LABELS[o.kind]})
              </option>
            ))}
          </select>
          {addErrors.orgId?.length ? (
            <p className="error" id="user-org-err" role="alert">
              {addErrors.orgId.join(" ")}
            </p>
          ) : null}
        </div>
        <Field
          label="Email"
          type="email"
          autoComplete="off"
          value={add.values.email}
          onChange={(e) => add.set({ email: e.target.value })}
          errors={addErrors.email}
        />
        <Field
          label="Name"
          value={add.values.name}
          onChange={(e) => add.set({ name: e.target.value })}
          errors={addErrors.name}
        />
        <div className="field">
          <label htmlFor="user-role">Role</label>
          <select
            id="user-role"
            value={add.values.role}
            aria-invalid={addErrors.role?.length ? true : undefined}
            aria-describedby={addErrors.role?.length ? "user-role-err" : "user-role-hint"}
            onChange={(e) => add.set({ role: e.target.value })}
          >
            {rolesFor(add.values.orgId).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          <p className="hint" id="user-role-hint">
            The roles the organisation's kind allows.
          </p>
          {addErrors.role?.length ? (
            <p className="error" id="user-role-err" role="alert">
              {addErrors.role.join(" ")}
            </p>
          ) : null}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            Add user
          </button>
        </div>
      </form>
      {create.error && !Object.keys(addErrors).length ? (
        <p className="error" role="alert">
          {messageOf(create.error)}
        </p>
      ) : null}

      {editing ? (
        <>
          <h2>Change {editing.email}</h2>
          <form
            ref={edit.formRef}
            onSubmit={(e) => void submitEdit(e)}
            noValidate
            className="grid3"
            aria-label={`Change ${editing.email}`}
          >
            <Field
              label="Name"
              value={edit.values.name}
              onChange={(e) => edit.set({ name: e.target.value })}
              errors={editErrors.name}
            />
            <div className="field">
              <label htmlFor="edit-role">Role</label>
              <select id="edit-role" value={edit.values.role} onChange={(e) => edit.set({ role: e.target.value })}>
                {ROLES_FOR_ORG_KIND[editing.orgKind].map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <div className="actions">
              <button type="submit" className="primary" disabled={update.isPending}>
                Save user
              </button>
              <button type="button" onClick={() => edit.reset(NO_EDIT)}>
                Cancel
              </button>
            </div>
          </form>
          {update.error && !Object.keys(editErrors).length ? (
            <p className="error" role="alert">
              {messageOf(update.error)}
            </p>
          ) : null}
        </>
      ) : null}

      <h2>Everyone</h2>
      <form className="filters" aria-label="User filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="users-filter-org">Organisation</label>
          <select
            id="users-filter-org"
            value={filter.orgId}
            onChange={(e) => setFilter({ ...filter, orgId: e.target.value })}
          >
            <option value="">Every organisation</option>
            {(orgs.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="users-filter-role">Role</label>
          <select
            id="users-filter-role"
            value={filter.role}
            onChange={(e) => setFilter({ ...filter, role: e.target.value })}
          >
            <option value="">Any role</option>
            {(Object.keys(ROLE_LABELS) as UserRole[]).map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="users-filter-active">Status</label>
          <select
            id="users-filter-active"
            value={filter.active}
            onChange={(e) => setFilter({ ...filter, active: e.target.value })}
          >
            <option value="true">Active</option>
            <option value="false">Deactivated</option>
            <option value="">Everyone</option>
          </select>
        </div>
      </form>
      {rowError ? (
        <p className="error" role="alert">
          {messageOf(rowError)}
        </p>
      ) : null}
      {list.isPending ? (
        <p>Loading…</p>
      ) : list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : (
        <DataTable<User>
          caption="Users"
          rows={list.data}
          rowKey={(u) => u.id}
          rowProps={(u) => ({ "data-user": u.email })}
          empty="No users match these filters."
          columns={[
            { key: "email", header: "Email", rowHeader: true, cell: (u) => <span className="break">{u.email}</span> },
            { key: "name", header: "Name", cell: (u) => u.name },
            { key: "org", header: "Organisation", cell: (u) => u.orgName },
            { key: "role", header: "Role", cell: (u) => ROLE_LABELS[u.role] },
            {
              key: "status",
              header: "Status",
              cell: (u) => (u.deactivatedAt ? `Deactivated ${dateTime(u.deactivatedAt)}` : "Active"),
            },
            {
              key: "actions",
              header: null,
              label: "Actions",
              actions: true,
              cell: (u) => (
                <div className="actions">
                  <button
                    type="button"
                    aria-label={`Change ${u.email}`}
                    onClick={() => edit.reset({ id: u.id, name: u.name, role: u.role })}
                  >
                    Change
                  </button>
                  {u.deactivatedAt ? (
                    <button
                      type="button"
                      aria-label={`Reactivate ${u.email}`}
                      onClick={() => reactivate.mutate({ id: u.id })}
                    >
                      Reactivate
                    </button>
                  ) : (
                    <>
                      <button
                        type="button"
                        aria-label={`Deactivate ${u.email}`}
                        onClick={() => {
                          if (window.confirm(`Deactivate ${u.email}? They are signed out everywhere at once.`))
                            deactivate.mutate({ id: u.id });
                        }}
                      >
                        Deactivate
                      </button>
                      <button
                        type="button"
                        aria-label={`Send password link to ${u.email}`}
                        onClick={() => sendReset.mutate({ id: u.id })}
                      >
                        Send password link
                      </button>
                    </>
                  )}
                </div>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}
