// The time zone a seller's portal counts in, typed as an IANA name with the browser's list of
// zones as suggestions (the server checks the name against Intl and PostgreSQL and says why it
// refuses one). Used by the admin's Sources page and the seller's own "Your terms" page.
import { useId } from "react";
import { Field } from "../../components/Field";

let zones: string[] | null = null;
const allZones = () => (zones ??= ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z.includes("/"))]);

/** The browser's own check, before anything is sent: empty, or a name this browser does not know. */
export function timeZoneProblem(value: string): string[] | undefined {
  const v = value.trim();
  if (!v) return ["Choose a time zone."];
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: v });
    return undefined;
  } catch {
    return ['Not a time zone: use a name like "America/Chicago" or "Europe/London", or UTC.'];
  }
}

export function TimeZoneField({
  value,
  onChange,
  errors,
  label = "Time zone",
  hint,
}: {
  value: string;
  onChange: (v: string) => void;
  errors?: string[] | undefined;
  label?: string;
  hint?: string;
}) {
  const listId = useId();
  return (
    <>
      <Field
        label={label}
        value={value}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        errors={errors}
        hint={hint ?? 'An IANA name, e.g. "America/Chicago"; days and months are counted in it.'}
      />
      <datalist id={listId}>
        {allZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
