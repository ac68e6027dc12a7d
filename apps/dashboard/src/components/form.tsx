// What every dashboard form does around its fields (components/Field.tsx): show the browser's and
// the server's errors together, take the person to the first one, and not lose their changes.
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
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
 * The server's errors that still hold: those on fields unchanged since the values it refused
 * (`sent`). They stay beside their fields while the browser reports its own on the next save, so a
 * person sees both at once; one whose field was edited since is gone. `fieldOf` names the form
 * value an error key is about (null: keep it).
 */
export function freshErrors<V extends object>(
  server: FieldErrors,
  sent: V | null,
  now: V,
  fieldOf: (errorKey: string) => keyof V | null,
): FieldErrors {
  if (!sent) return server;
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(server)) {
    const f = fieldOf(k);
    if (f === null || !(f in now) || JSON.stringify(sent[f]) === JSON.stringify(now[f])) out[k] = v;
  }
  return out;
}

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

/**
 * The same question for a change inside the page that would drop unsaved changes (Cancel, or
 * opening another row's editor): the router's blocker only sees navigation.
 */
export function DiscardQuestion({ onStay, onDiscard }: { onStay: () => void; onDiscard: () => void }) {
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => stay.current?.focus(), []);
  return (
    <div
      className="leave-warning"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="discard-question-title"
      aria-describedby="discard-question-text"
    >
      <p id="discard-question-title">
        <strong>Discard your changes?</strong>
      </p>
      <p id="discard-question-text">Your changes in this form are not saved yet. If you go on they are lost.</p>
      <div className="actions">
        <button type="button" ref={stay} className="primary" onClick={onStay}>
          Keep editing
        </button>
        <button type="button" onClick={onDiscard}>
          Discard changes
        </button>
      </div>
    </div>
  );
}

export interface EditForm<V> {
  values: V;
  /** Changes some fields; the form becomes dirty while it differs from what was saved. */
  set: (patch: Partial<V>) => void;
  formRef: RefObject<HTMLFormElement | null>;
  dirty: boolean;
  /** The "leave without saving?" question; render it inside the form. */
  leaveWarning: ReactNode;
  /**
   * Call on submit with the browser's findings: shows them, and when there are any takes the
   * person to the first and answers false (send nothing). Clears them when there are none.
   */
  check: (local: FieldErrors) => boolean;
  /** Call when the server refused the save, so focus moves to its first problem. */
  failed: () => void;
  /** Call when the server took the save: these values become the saved state. */
  saved: (values: V) => void;
  /** Starts over from these values (an "add" form after it added), with no errors shown. */
  reset: (values: V) => void;
  /** The browser's and the server's errors together, the browser's winning on a field. */
  errors: (server: FieldErrors) => FieldErrors;
  localErrors: FieldErrors;
}

/**
 * The state every settings form keeps, built from the hooks above: the values and the last saved
 * values (dirty while they differ, with a warning before leaving), the browser's errors, and a
 * counter of failed saves that moves focus (and a phone's scroll) to the first problem.
 * `same` compares two values; by default their JSON.
 */
export function useEditForm<V>(initial: V, same: (a: V, b: V) => boolean = sameJson): EditForm<V> {
  const form = useFormState(initial, same);
  const leaveWarning = useUnsavedChanges(form.dirty);
  return { ...form, leaveWarning };
}

/**
 * useEditForm without its own leave warning, for many small forms on one page (a row each): the
 * router keeps one blocker, so the page gathers their `dirty` and calls useUnsavedChanges once.
 */
export function useFormState<V>(initial: V, same: (a: V, b: V) => boolean = sameJson): EditForm<V> {
  const [values, setValues] = useState<V>(initial);
  const [savedValues, setSavedValues] = useState<V>(initial);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = !same(values, savedValues);
  useFocusFirstError(formRef, attempt);
  const set = useCallback((patch: Partial<V>) => setValues((v) => ({ ...v, ...patch })), []);
  const check = useCallback((local: FieldErrors) => {
    setLocalErrors(local);
    if (!hasErrors(local)) return true;
    setAttempt((n) => n + 1);
    return false;
  }, []);
  const failed = useCallback(() => setAttempt((n) => n + 1), []);
  const saved = useCallback((v: V) => setSavedValues(v), []);
  const reset = useCallback((v: V) => {
    setValues(v);
    setSavedValues(v);
    setLocalErrors({});
  }, []);
  const errors = useCallback((server: FieldErrors) => mergeErrors(server, localErrors), [localErrors]);
  return { values, set, formRef, dirty, leaveWarning: null, check, failed, saved, reset, errors, localErrors };
}

const sameJson = <V,>(a: V, b: V) => JSON.stringify(a) === JSON.stringify(b);

/** "Enter a whole number." for text that is not one; the field's own rule is checked after. */
export function wholeNumber(text: string): { value: number; error?: undefined } | { value?: undefined; error: string } {
  const t = text.trim();
  if (!/^-?\d+$/.test(t))
    return { error: t ? "Enter a whole number, without letters or decimals." : "Enter a number." };
  return { value: Number(t) };
}
