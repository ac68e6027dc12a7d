import { useId } from "react";

export interface Choice<T extends string> {
  value: T;
  label: string;
  /** One line on what choosing it does. */
  effect: string;
}

/** A fieldset of radio buttons, each with a line explaining its effect. */
export function RadioGroup<T extends string>(props: {
  legend: string;
  name: string;
  value: T;
  choices: Choice<T>[];
  onChange: (v: T) => void;
  errors?: string[] | undefined;
}) {
  const id = useId();
  return (
    <fieldset
      className="choices"
      aria-describedby={props.errors?.length ? `${id}-err` : undefined}
      data-invalid={props.errors?.length ? true : undefined}
    >
      <legend>{props.legend}</legend>
      {props.choices.map((c) => (
        <label key={c.value} className="choice">
          <input
            type="radio"
            name={props.name}
            value={c.value}
            checked={props.value === c.value}
            onChange={() => props.onChange(c.value)}
          />
          <span>
            <strong>{c.label}</strong>
            <span className="hint">{c.effect}</span>
          </span>
        </label>
      ))}
      {props.errors?.length ? (
        <p className="error" id={`${id}-err`} role="alert">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A fieldset of checkboxes, each with a line explaining its effect. */
export function CheckboxGroup<T extends string>(props: {
  legend: string;
  values: T[];
  choices: Choice<T>[];
  onChange: (v: T[]) => void;
  errors?: string[] | undefined;
}) {
  const id = useId();
  const toggle = (v: T, on: boolean) =>
    props.onChange(on ? [...props.values.filter((x) => x !== v), v] : props.values.filter((x) => x !== v));
  return (
    <fieldset
      className="choices"
      aria-describedby={props.errors?.length ? `${id}-err` : undefined}
      data-invalid={props.errors?.length ? true : undefined}
    >
      <legend>{props.legend}</legend>
      {props.choices.map((c) => (
        <label key={c.value} className="choice">
          <input
            type="checkbox"
            value={c.value}
            checked={props.values.includes(c.value)}
            onChange={(e) => toggle(c.value, e.target.checked)}
          />
          <span>
            <strong>{c.label}</strong>
            <span className="hint">{c.effect}</span>
          </span>
        </label>
      ))}
      {props.errors?.length ? (
        <p className="error" id={`${id}-err`} role="alert">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
