// Routing windows per city (issue 17 item 6): the cities with windows of their own, and a form to
// give a city its own exclusive, tier-expansion and broadcast windows (blank = the global setting)
// or take them away. The browser checks each field by the engine's rule (validateCityWindows)
// before sending; the server checks again with the same rule and its errors land beside the same
// fields. Saved through marketAdmin.setCityWindows (audited).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CITY_WINDOW_KEYS,
  cityKey,
  validateCityWindows,
  type CityWindowKey,
  type CityWindowOverride,
  type RoutingConfig,
} from "@leadflow/engine";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { useEditForm, wholeNumber, type FieldErrors } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";

const WINDOW_LABELS: Record<CityWindowKey, string> = {
  exclusiveWindowMinutes: "Exclusive window (minutes)",
  tierExpansionWindowMinutes: "Tier expansion window (minutes)",
  broadcastWindowMinutes: "Broadcast window (minutes)",
};
const SHORT_LABELS: Record<CityWindowKey, string> = {
  exclusiveWindowMinutes: "Exclusive",
  tierExpansionWindowMinutes: "Tier expansion",
  broadcastWindowMinutes: "Broadcast",
};

type Values = { city: string } & Record<CityWindowKey, string>;
const EMPTY: Values = {
  city: "",
  exclusiveWindowMinutes: "",
  tierExpansionWindowMinutes: "",
  broadcastWindowMinutes: "",
};

const valuesOf = (city: string, w: CityWindowOverride): Values => ({
  city,
  exclusiveWindowMinutes: w.exclusiveWindowMinutes?.toString() ?? "",
  tierExpansionWindowMinutes: w.tierExpansionWindowMinutes?.toString() ?? "",
  broadcastWindowMinutes: w.broadcastWindowMinutes?.toString() ?? "",
});

/**
 * The engine names a field `<city>.<window>` (or the city alone for the override as a whole); the
 * form's fields are `city`, each window, and `windows` (the group).
 */
function formErrorsOf(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  const add = (k: string, v: string[] | undefined) => {
    if (v?.length) out[k] = [...(out[k] ?? []), ...v];
  };
  for (const [field, messages] of Object.entries(errors)) {
    const window = CITY_WINDOW_KEYS.find((k) => field.endsWith(`.${k}`));
    if (window) add(window, messages);
    else if (field === "city") add("city", messages);
    else add("windows", messages);
  }
  return out;
}

/** What the browser can tell before sending: the city, text that isn't a whole number, then the engine's rule. */
function localCheck(v: Values): { windows: CityWindowOverride; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const windows: CityWindowOverride = {};
  const city = v.city.trim();
  if (!city) errors.city = ["Name the city."];
  else if (city.length > 100) errors.city = ["At most 100 characters."];
  for (const k of CITY_WINDOW_KEYS) {
    if (!v[k].trim()) continue;
    const n = wholeNumber(v[k]);
    if (n.error) errors[k] = [n.error];
    else windows[k] = n.value;
  }
  if (CITY_WINDOW_KEYS.every((k) => !v[k].trim()))
    errors.windows = ["Give at least one window, or remove the city's own windows in the table above."];
  else if (city && !errors.city) {
    const r = validateCityWindows({ [city]: windows });
    if (!r.ok) for (const [k, m] of Object.entries(formErrorsOf(toFieldErrors(r.errors)))) errors[k] ??= m;
  }
  return { windows, errors };
}

const toFieldErrors = (errors: readonly { field: string; message: string }[]): FieldErrors => {
  const out: FieldErrors = {};
  for (const e of errors) (out[e.field] ??= []).push(e.message);
  return out;
};

export function AdminCityWindowsPage() {
  const trpc = useTRPC();
  const current = useQuery(trpc.marketAdmin.cityWindows.queryOptions());
  const routing = useQuery(trpc.marketAdmin.routingSettings.queryOptions());
  const failed = current.error ?? routing.error;
  return (
    <section>
      <h1>Routing windows per city</h1>
      <p>
        A city can have windows of its own: how long the first DJ has a lead alone, how long the next few have it, and
        how long every eligible DJ may take it. Every other city keeps the global windows of the{" "}
        <Link to="/marketplace">routing settings</Link>. New phases use a change; offers already made keep their window.
        To try routing end to end on staging, give a test city windows of a minute or two and send inquiries for it.
      </p>
      {failed ? (
        <p className="error" role="alert">
          {messageOf(failed)}
        </p>
      ) : null}
      {current.isPending || routing.isPending ? <p aria-live="polite">Loading city windows…</p> : null}
      {current.data && routing.data ? <CityWindowsEditor windows={current.data} global={routing.data} /> : null}
    </section>
  );
}

function CityWindowsEditor({
  windows,
  global,
}: {
  windows: Record<string, CityWindowOverride>;
  global: RoutingConfig;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const form = useEditForm<Values>(EMPTY);
  const [savedCity, setSavedCity] = useState<string | null>(null);
  const save = useMutation(
    trpc.marketAdmin.setCityWindows.mutationOptions({
      onSuccess: async (_saved, input) => {
        form.saved(form.values);
        setSavedCity(input.city);
        await qc.invalidateQueries(trpc.marketAdmin.pathFilter());
      },
      onError: form.failed,
    }),
  );
  const remove = useMutation(
    trpc.marketAdmin.setCityWindows.mutationOptions({
      onSuccess: async (_saved, input) => {
        if (cityKey(form.values.city) === cityKey(input.city)) form.reset(EMPTY);
        await qc.invalidateQueries(trpc.marketAdmin.pathFilter());
      },
    }),
  );
  const errors = form.errors(formErrorsOf(fieldErrorsOf(save.error)));
  const rows = Object.entries(windows)
    .map(([city, w]) => ({ city, w }))
    .sort((a, b) => a.city.localeCompare(b.city));
  const minutes = (w: CityWindowOverride, k: CityWindowKey) =>
    w[k] != null ? `${w[k]} min` : `${global[k]} min (global)`;

  function submit(e: FormEvent) {
    e.preventDefault();
    const { windows: input, errors: local } = localCheck(form.values);
    if (!form.check(local)) {
      save.reset();
      return;
    }
    setSavedCity(null);
    save.mutate({ city: form.values.city.trim(), windows: input });
  }
  const fieldProblem = Object.keys(errors).some((k) => errors[k]?.length);
  const problem = fieldProblem ? "Some fields need attention." : save.error ? messageOf(save.error) : null;
  return (
    <>
      <h2>Cities with their own windows</h2>
      <DataTable
        caption="Cities with their own routing windows"
        rows={rows}
        rowKey={(r) => r.city}
        rowProps={(r) => ({ "data-city": r.city })}
        empty="No city has windows of its own: every city uses the global windows."
        columns={[
          { key: "city", header: "City", rowHeader: true, cell: (r) => r.city },
          ...CITY_WINDOW_KEYS.map((k) => ({
            key: k,
            header: SHORT_LABELS[k],
            numeric: true,
            cell: (r: (typeof rows)[number]) => minutes(r.w, k),
          })),
          {
            key: "actions",
            header: "",
            label: "Actions",
            actions: true,
            cell: (r) => (
              <div className="actions">
                <button
                  type="button"
                  aria-label={`Edit the windows of ${r.city}`}
                  onClick={() => {
                    save.reset();
                    setSavedCity(null);
                    form.reset(valuesOf(r.city, r.w));
                  }}
                >
                  Edit
                </button>
                <button
                  type="button"
                  aria-label={`Remove the windows of ${r.city}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ city: r.city, windows: null })}
                >
                  Remove
                </button>
              </div>
            ),
          },
        ]}
      />
      {remove.error ? (
        <p className="error" role="alert">
          {messageOf(remove.error)}
        </p>
      ) : null}
      <h2>Set a city's windows</h2>
      <form ref={form.formRef} onSubmit={submit} noValidate className="card settings" aria-label="City windows">
        {form.leaveWarning}
        <Field
          label="City"
          hint="As leads name it; capitals and spaces around it do not matter. A city already listed is changed."
          autoComplete="off"
          value={form.values.city}
          onChange={(e) => form.set({ city: e.target.value })}
          errors={errors.city}
        />
        <fieldset
          data-invalid={errors.windows?.length ? true : undefined}
          aria-describedby={errors.windows?.length ? "city-windows-group-error" : undefined}
        >
          <legend>Windows (leave one blank to keep the global window)</legend>
          {CITY_WINDOW_KEYS.map((k) => (
            <Field
              key={k}
              label={WINDOW_LABELS[k]}
              hint={`Global: ${global[k]} minutes.`}
              inputMode="numeric"
              value={form.values[k]}
              onChange={(e) => form.set({ [k]: e.target.value } as Partial<Values>)}
              errors={errors[k]}
            />
          ))}
          {errors.windows?.length ? (
            <p className="error" id="city-windows-group-error" role="alert">
              {errors.windows.join(" ")}
            </p>
          ) : null}
        </fieldset>
        {problem ? (
          <p className="error" role="alert" data-form-problem={fieldProblem ? undefined : true} tabIndex={-1}>
            {problem}
          </p>
        ) : null}
        {save.isSuccess && !form.dirty && savedCity ? (
          <p className="ok" role="status">
            Saved. New phases of leads in {savedCity} use these windows.
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save city windows
          </button>
          <button
            type="button"
            onClick={() => {
              save.reset();
              setSavedCity(null);
              form.reset(EMPTY);
            }}
          >
            Clear the form
          </button>
        </div>
      </form>
    </>
  );
}
