// The inquiry form's consent block: shows the current consent text (the engine's, by version) with
// its box, and hands the form what it must send: the version shown, what was ticked, this page.
// The server stores the words of that version, never words from the browser (docs/compliance.md).
import { CURRENT_INQUIRY_CONSENT, INQUIRY_CONSENT_TEXTS } from "@leadflow/engine";
import { useId } from "react";

export interface InquiryConsentValue {
  version: typeof CURRENT_INQUIRY_CONSENT;
  ticked: { contact: boolean };
  pageUrl: string;
}

/** What the form sends for a box ticked (or not). */
export function inquiryConsentValue(contact: boolean): InquiryConsentValue {
  return { version: CURRENT_INQUIRY_CONSENT, ticked: { contact }, pageUrl: window.location.href.slice(0, 500) };
}

export function InquiryConsent({
  checked,
  onChange,
  errors,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  errors?: string[] | undefined;
}) {
  const id = useId();
  const errId = `${id}-err`;
  return (
    <div className="field" data-testid="inquiry-consent">
      <label className="choice" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          required
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? errId : undefined}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span>{INQUIRY_CONSENT_TEXTS[CURRENT_INQUIRY_CONSENT].contact}</span>
      </label>
      {errors?.length ? (
        <p className="error" id={errId}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
