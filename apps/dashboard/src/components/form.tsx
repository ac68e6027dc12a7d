// What every dashboard form does around its fields (components/Field.tsx): show the browser's and
// the server's errors together, take the person to the first one, and not lose their changes.
import { useEffect, useRef, type RefObject } from "react";
import { useBlocker } from "react-router";

export type FieldErrors = Record<string, string[] | undefined>;

/** Errors found in the browser win on their field (they explain why the server's check failed there). */
export function mergeErrors(server: FieldErrors, local: FieldErrors): FieldErrors {
  const out: FieldErrors = { ...server };
  for (const [k, v] of Object.entries(local)) if (v?.length) out[k] = v;
  return out;
}

export const hasErrors = (e: FieldErrors) => Object.values(e).some((v) => v?.length);

/**
 * After each failed save (`attempt` changes), move focus to the first invalid control in the
 * form's order and scroll it to the middle of the screen: on a phone the Save button sits at the
 * bottom and the problem may be far above it. A fieldset marked data-invalid gives its first input.
 */
export function useFocusFirstError(form: RefObject<HTMLFormElement | null>, attempt: number) {
  useEffect(() => {
    if (attempt === 0 || !form.current) return;
    const first = form.current.querySelector<HTMLElement>(
      '[aria-invalid="true"], [data-invalid="true"], [data-form-problem]',
    );
    if (!first) return;
    const target = first.matches("fieldset")
      ? (first.querySelector<HTMLElement>("input:checked, input, select, textarea") ?? first)
      : first;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }, [form, attempt]);
}

/**
 * Warns before unsaved changes are lost: the browser's own prompt when the tab closes or reloads,
 * and a question of ours when a link inside the dashboard would leave the page.
 */
export function useUnsavedChanges(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (blocker.state === "blocked") stay.current?.focus();
  }, [blocker.state]);
  if (blocker.state !== "blocked") return null;
  return (
    <div
      className="leave-warning"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="leave-warning-title"
      aria-describedby="leave-warning-text"
    >
      <p id="leave-warning-title">
        <strong>Leave without saving?</strong>
      </p>
      <p id="leave-warning-text">Your changes on this page are not saved yet. If you leave now they are lost.</p>
      <div className="actions">
        <button type="button" ref={stay} className="primary" onClick={() => blocker.reset()}>
          Stay and save
        </button>
        <button type="button" onClick={() => blocker.proceed()}>
          Leave without saving
        </button>
      </div>
    </div>
  );
}
