// The admin's editor for one buyer (new or existing): identity, then the network's terms or the
// contractor's delivery settings. The browser runs the server's own schema first (@leadflow/api/forms)
// so every problem shows beside its field on the first save, with focus (and a phone's scroll) on the
// first; the server checks again (and alone checks where the URLs point), and what it refuses stays
// beside its field until that field is edited. The page (BuyersAdminPage) asks before unsaved
// changes are lost.
import { formatCents } from "@leadflow/engine";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Field, SelectField } from "../../components/Field";
import { freshErrors, hasErrors, mergeErrors, useFormState } from "../../components/form";
import { BUYER_TYPE_TEXT } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { adminFieldOf, adminFormFrom, adminInputFrom, type AdminForm } from "./admin-form";
import { CheckboxGroup, RadioGroup } from "./Choices";
import type { BuyerView } from "./settings-form";
import { SettingsFields } from "./SettingsFields";
import { HoursFields, ZipsFields } from "./ZipsAndHours";

export function BuyerEditor({
  buyer,
  onDone,
  onCancel = onDone,
  onDirty,
}: {
  buyer: BuyerView | null;
  /** After a save (or once the new webhook secret was read). */
  onDone: () => void;
  /** Cancel: the page asks first when there are unsaved changes. */
  onCancel?: () => void;
  /** Tells the page whether there are unsaved changes (false again when the editor closes). */
  onDirty?: (dirty: boolean) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const orgs = useQuery(trpc.admin.orgs.queryOptions());
  const verticals = useQuery(trpc.buyers.verticals.queryOptions());
  const f = useFormState<AdminForm>(adminFormFrom(buyer));
  const form = f.values;
  const set = f.set;
  const [secret, setSecret] = useState<string | null>(null);
  /** The values as last sent: they become the saved state when the server takes them. */
  const sent = useRef<AdminForm | null>(null);
  useEffect(() => onDirty?.(f.dirty), [f.dirty, onDirty]);
  useEffect(() => () => onDirty?.(false), [onDirty]);
  const done = async (r: { newWebhookSecret?: string | undefined }) => {
    if (sent.current) f.saved(sent.current);
    await qc.invalidateQueries(trpc.buyers.pathFilter());
    if (r.newWebhookSecret) setSecret(r.newWebhookSecret);
    else onDone();
  };
  const create = useMutation(trpc.buyers.create.mutationOptions({ onSuccess: done, onError: f.failed }));
  const update = useMutation(trpc.buyers.update.mutationOptions({ onSuccess: done, onError: f.failed }));
  const m = buyer ? update : create;
  const kind = form.type === "NETWORK" ? "network" : "contractor";
  // The schemas (zod) load with the editor, not with the sign-in page.
  useEffect(() => void loadChecks(), []);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const { buyer: input, errors: typed, webhookSecret } = adminInputFrom(form);
    const { buyerErrors } = await loadChecks();
    // Text that isn't a number yet explains itself better than the rule it then breaks.
    const local = mergeErrors(buyerErrors(input), typed);
    if (!buyer && !form.orgId) local.orgId = [`Choose the ${kind} organisation this buyer belongs to.`];
    // Refused here: the server's last answer stays beside the fields it was about.
    if (!f.check(local)) return;
    sent.current = form;
    const extra = webhookSecret ? { webhookSecret } : {};
    if (buyer) update.mutate({ id: buyer.id, buyer: input, ...extra });
    else create.mutate({ orgId: form.orgId, buyer: input, ...extra });
  }
  const server = fieldErrorsOf(m.error);
  const errors = f.errors(freshErrors(server, sent.current, form, adminFieldOf));
  // A refusal on no field (a lost connection, a conflict) is said in words; fixed fields say nothing.
  const problem = hasErrors(errors) ? "Some settings need attention." : hasErrors(server) ? null : messageOf(m.error);
  return (
    <form
      ref={f.formRef}
      onSubmit={(e) => void submit(e)}
      noValidate
      className="card settings"
      aria-label={buyer ? `Edit ${buyer.name}` : "New buyer"}
    >
      <h2>{buyer ? `Edit ${buyer.name}` : "New buyer"}</h2>
      {buyer ? (
        <p className="hint">
          {BUYER_TYPE_TEXT[buyer.type]} buyer of {buyer.orgName} · key <code>{buyer.key}</code>
        </p>
      ) : (
        <>
          <RadioGroup
            legend="Type"
            name="type"
            value={form.type}
            onChange={(type) => set({ type, orgId: "" })}
            choices={[
              {
                value: "NETWORK",
                label: "Network",
                effect: "Pinged with a partial lead, bids, gets the full lead by POST when it wins.",
              },
              {
                value: "CONTRACTOR",
                label: "Contractor",
                effect: "Gets leads directly at its price, exclusively or shared.",
              },
            ]}
          />
          <SelectField
            label="Organisation"
            value={form.orgId}
            onChange={(e) => set({ orgId: e.target.value })}
            errors={errors.orgId}
          >
            <option value="">Choose a {kind} organisation…</option>
            {orgs.data
              ?.filter((o) => o.kind === kind)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </SelectField>
        </>
      )}
      <Field label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} errors={errors.name} />
      <label className="choice">
        <input type="checkbox" checked={form.active} onChange={(e) => set({ active: e.target.checked })} />
        <span>
          <strong>Active</strong> <span className="hint">An inactive buyer is never pinged nor offered leads.</span>
        </span>
      </label>
      <CheckboxGroup
        legend="Verticals"
        values={form.verticals}
        onChange={(v) => set({ verticals: v })}
        errors={errors.verticals}
        choices={(verticals.data ?? []).map((v) => ({
          value: v.key,
          label: v.name,
          effect: `floor ${formatCents(v.floorCents)}`,
        }))}
      />
      <CheckboxGroup
        legend="Consent evidence required"
        values={form.compliance}
        onChange={(v) => set({ compliance: v })}
        errors={errors.compliance}
        choices={[
          {
            value: "TRUSTED_FORM",
            label: "TrustedForm certificate",
            effect: "Leads without one lose with COMPLIANCE_MISSING.",
          },
          { value: "JORNAYA", label: "Jornaya LeadiD", effect: "Leads without one lose with COMPLIANCE_MISSING." },
        ]}
      />
      <fieldset>
        <legend>Compliance screens</legend>
        <label className="choice">
          <input
            type="checkbox"
            checked={form.requireClaimedConsent}
            onChange={(e) => set({ requireClaimedConsent: e.target.checked })}
          />
          <span>
            <strong>Require a claimed, matching certificate</strong>{" "}
            <span className="hint">
              Each required certificate is claimed with its provider before the auction; one the provider refuses,
              cannot confirm or that does not match the lead loses with COMPLIANCE_MISSING.
            </span>
          </span>
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={form.refuseInvalidPhone}
            onChange={(e) => set({ refuseInvalidPhone: e.target.checked })}
          />
          <span>
            <strong>Refuse invalid phone numbers</strong>{" "}
            <span className="hint">Leads whose number is not a real one lose with VALIDATION_FAILED.</span>
          </span>
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={form.refuseDisposableEmail}
            onChange={(e) => set({ refuseDisposableEmail: e.target.checked })}
          />
          <span>
            <strong>Refuse disposable or invalid emails</strong>{" "}
            <span className="hint">Leads with a throwaway address lose with VALIDATION_FAILED.</span>
          </span>
        </label>
      </fieldset>
      {form.type === "NETWORK" ? (
        <>
          <h2>Ping and post</h2>
          <Field
            label="Ping URL"
            type="url"
            value={form.pingUrl}
            onChange={(e) => set({ pingUrl: e.target.value })}
            errors={errors.pingUrl}
          />
          <Field
            label="Post URL"
            type="url"
            value={form.postUrl}
            onChange={(e) => set({ postUrl: e.target.value })}
            errors={errors.postUrl}
          />
          <div className="grid3">
            <Field
              label="Ping timeout (ms)"
              inputMode="numeric"
              value={form.pingTimeoutMs}
              onChange={(e) => set({ pingTimeoutMs: e.target.value })}
              errors={errors.pingTimeoutMs}
              hint="No answer by then: TIMEOUT."
            />
            <Field
              label="Minimum bid ($)"
              inputMode="decimal"
              value={form.minBid}
              onChange={(e) => set({ minBid: e.target.value })}
              errors={errors.minBidCents}
              hint="Lower bids lose with BELOW_MIN_BID."
            />
          </div>
          <h2>Where its answer says what</h2>
          <div className="grid3">
            <Field
              label="Bid path"
              value={form.bidPath}
              placeholder="bid"
              onChange={(e) => set({ bidPath: e.target.value })}
              errors={errors["responseMapping.bidPath"]}
            />
            <Field
              label="Accepted path"
              value={form.acceptedPath}
              placeholder="accepted"
              onChange={(e) => set({ acceptedPath: e.target.value })}
            />
            <Field
              label="Reason path"
              value={form.reasonPath}
              placeholder="reason"
              onChange={(e) => set({ reasonPath: e.target.value })}
            />
          </div>
          <RadioGroup
            legend="Bid unit"
            name="bidUnit"
            value={form.bidUnit}
            onChange={(bidUnit) => set({ bidUnit })}
            choices={[
              { value: "dollars", label: "Dollars", effect: "A bid of 12.5 means $12.50." },
              { value: "cents", label: "Cents", effect: "A bid of 1250 means $12.50." },
            ]}
          />
          <ZipsFields zips={form.zips} onChange={(zips) => set({ zips })} errors={errors} />
          <Field
            label="Time zone"
            value={form.timeZone}
            onChange={(e) => set({ timeZone: e.target.value })}
            errors={errors.timeZone}
          />
          <HoursFields form={form} set={set} errors={errors} confirmOvernight />
          <div className="grid3">
            <Field
              label="Daily cap"
              inputMode="numeric"
              value={form.capDaily}
              onChange={(e) => set({ capDaily: e.target.value })}
              errors={errors.capDaily}
            />
            <Field
              label="Weekly cap"
              inputMode="numeric"
              value={form.capWeekly}
              onChange={(e) => set({ capWeekly: e.target.value })}
              errors={errors.capWeekly}
            />
            <Field
              label="Monthly cap"
              inputMode="numeric"
              value={form.capMonthly}
              onChange={(e) => set({ capMonthly: e.target.value })}
              errors={errors.capMonthly}
            />
          </div>
          <Field
            label="Duplicate look-back (days)"
            inputMode="numeric"
            value={form.duplicateLookbackDays}
            onChange={(e) => set({ duplicateLookbackDays: e.target.value })}
            errors={errors.duplicateLookbackDays}
          />
        </>
      ) : (
        <SettingsFields form={form} set={set} errors={errors} hasSecret={buyer?.hasWebhookSecret ?? false} />
      )}
      {secret ? (
        <div className="notice" role="status">
          <p>
            <strong>Webhook signing secret, shown once:</strong>
          </p>
          <code className="secret">{secret}</code>
          <button type="button" onClick={onDone}>
            Done
          </button>
        </div>
      ) : null}
      {problem ? (
        <p className="error" role="alert" data-form-problem tabIndex={-1}>
          {problem}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={m.isPending}>
          {buyer ? "Save buyer" : "Create buyer"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const loadChecks = () => import("@leadflow/api/forms");
