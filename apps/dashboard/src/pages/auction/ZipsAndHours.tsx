import { useState } from "react";
import { DataTable } from "../../components/DataTable";
import { hoursText } from "../../format/time";
import { WEEKDAYS, type SettingsForm, type ZipRow } from "./settings-form";

type Errors = Record<string, string[] | undefined>;

const Err = ({ e, id }: { e: string[] | undefined; id?: string }) =>
  e?.length ? (
    <span className="error" role="alert" id={id}>
      {e.join(" ")}
    </span>
  ) : null;

/** Service zips: priority 1 is where you most want leads; a zip's max bid overrides yours there. */
export function ZipsFields({
  zips,
  onChange,
  errors,
}: {
  zips: ZipRow[];
  onChange: (z: ZipRow[]) => void;
  errors: Errors;
}) {
  const [bulk, setBulk] = useState("");
  const update = (i: number, patch: Partial<ZipRow>) =>
    onChange(zips.map((z, j) => (j === i ? { ...z, ...patch } : z)));
  function addBulk() {
    const have = new Set(zips.map((z) => z.zip));
    const add = bulk.split(/[\s,;]+/).filter((z) => z && !have.has(z));
    onChange([...zips, ...[...new Set(add)].map((zip) => ({ zip, priority: "1", maxBid: "" }))]);
    setBulk("");
  }
  return (
    <fieldset className="choices" data-invalid={errors.serviceZips ? true : undefined}>
      <legend>Service zip codes</legend>
      <p className="hint">
        You only get leads in these zips. Priority 1 comes first when several contractors serve a zip; a zip's own max
        bid replaces your max bid there.
      </p>
      <Err e={errors.serviceZips} />
      <DataTable
        caption="Service zip codes"
        className="zips"
        rows={zips.map((z, i) => ({ ...z, i }))}
        rowKey={(z) => String(z.i)}
        empty="No zip codes yet: add some below."
        columns={[
          {
            key: "zip",
            header: "Zip",
            cell: ({ zip, i }) => (
              <>
                <input
                  aria-label={`Zip ${i + 1}`}
                  inputMode="numeric"
                  maxLength={5}
                  value={zip}
                  onChange={(e) => update(i, { zip: e.target.value })}
                  aria-invalid={errors[`serviceZips.${i}.zip`] ? true : undefined}
                />
                <Err e={errors[`serviceZips.${i}.zip`]} />
              </>
            ),
          },
          {
            key: "priority",
            header: "Priority",
            cell: ({ priority, i }) => (
              <>
                <input
                  aria-label={`Priority of zip ${i + 1}`}
                  inputMode="numeric"
                  value={priority}
                  onChange={(e) => update(i, { priority: e.target.value })}
                  aria-invalid={errors[`serviceZips.${i}.priority`] ? true : undefined}
                />
                <Err e={errors[`serviceZips.${i}.priority`]} />
              </>
            ),
          },
          {
            key: "maxBid",
            header: "Max bid here ($)",
            cell: ({ maxBid, i }) => (
              <>
                <input
                  aria-label={`Max bid for zip ${i + 1}`}
                  inputMode="decimal"
                  value={maxBid}
                  placeholder="your max bid"
                  onChange={(e) => update(i, { maxBid: e.target.value })}
                  aria-invalid={errors[`serviceZips.${i}.maxBidCents`] ? true : undefined}
                />
                <Err e={errors[`serviceZips.${i}.maxBidCents`]} />
              </>
            ),
          },
          {
            key: "remove",
            header: "",
            label: "Remove",
            actions: true,
            cell: ({ zip, i }) => (
              <button
                type="button"
                onClick={() => onChange(zips.filter((_, j) => j !== i))}
                aria-label={`Remove zip ${zip || i + 1}`}
              >
                Remove
              </button>
            ),
          },
        ]}
      />
      <div className="inline-form">
        <div className="field">
          <label htmlFor="bulk-zips">Add zip codes</label>
          <input
            id="bulk-zips"
            value={bulk}
            onChange={(e) => setBulk(e.target.value)}
            placeholder="38103 38104, 38111"
          />
        </div>
        <button type="button" onClick={addBulk} disabled={!bulk.trim()}>
          Add
        </button>
      </div>
    </fieldset>
  );
}

/** Opening hours per weekday, in the buyer's time zone. Outside them, leads go to others. */
/**
 * `confirmOvernight`: each open day gets a "Past midnight" box, and hours like 18:00 → 09:00 are
 * taken only with it ticked (the server refuses them otherwise; buyers/schemas.ts).
 */
export function HoursFields({
  form,
  set,
  errors,
  confirmOvernight = false,
}: {
  form: SettingsForm;
  set: (p: Partial<SettingsForm>) => void;
  errors: Errors;
  confirmOvernight?: boolean;
}) {
  const day = (k: keyof SettingsForm["hours"], patch: Partial<SettingsForm["hours"]["mon"]>) =>
    set({ hours: { ...form.hours, [k]: { ...form.hours[k], ...patch } } });
  return (
    <fieldset className="choices" data-invalid={errors.hours ? true : undefined}>
      <legend>Hours you take leads</legend>
      <label className="choice">
        <input type="checkbox" checked={form.alwaysOpen} onChange={(e) => set({ alwaysOpen: e.target.checked })} />
        <span>
          <strong>Any time</strong>
          <span className="hint">
            Leads come day and night. Untick to take leads only in the hours below; outside them the lead goes to
            others.
          </span>
        </span>
      </label>
      <Err e={errors.hours} />
      {form.alwaysOpen ? null : (
        <div className="hours">
          {WEEKDAYS.map(({ key, label }) => {
            const fromErr = errors[`hours.${key}.0.0`];
            const untilErr = errors[`hours.${key}.0.1`];
            const dayErr = fromErr ?? untilErr ?? errors[`hours.${key}`];
            const errId = `hours-${key}-err`;
            return (
              <div key={key} className="hours-row">
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={form.hours[key].open}
                    onChange={(e) => day(key, { open: e.target.checked })}
                  />
                  <span>{label}</span>
                </label>
                {form.hours[key].open ? (
                  <>
                    <input
                      type="time"
                      aria-label={`${label} from`}
                      value={form.hours[key].from}
                      onChange={(e) => day(key, { from: e.target.value })}
                      aria-invalid={fromErr ? true : undefined}
                      aria-describedby={fromErr ? errId : undefined}
                    />
                    <input
                      type="time"
                      aria-label={`${label} until`}
                      value={form.hours[key].to}
                      onChange={(e) => day(key, { to: e.target.value })}
                      aria-invalid={untilErr ? true : undefined}
                      aria-describedby={untilErr ? errId : undefined}
                    />
                    {confirmOvernight ? (
                      <label className="choice overnight">
                        <input
                          type="checkbox"
                          aria-label={`${label} past midnight`}
                          checked={form.hours[key].overnight}
                          onChange={(e) => day(key, { overnight: e.target.checked })}
                        />
                        <span>Past midnight</span>
                      </label>
                    ) : null}
                    <span className="hours-summary" data-testid={`hours-summary-${key}`}>
                      {hoursText(form.hours[key].from, form.hours[key].to)}
                    </span>
                  </>
                ) : (
                  <span className="hint">closed</span>
                )}
                <Err e={dayErr} id={errId} />
              </div>
            );
          })}
        </div>
      )}
    </fieldset>
  );
}
