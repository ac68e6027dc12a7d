// How LeadFlow writes one network's ping and post: the format (JSON, form, XML), the buyer's
// field names, value maps, defaults, static fields and header auth, with a preview of the exact
// body for a sample lead (rendered by the same engine function the server sends with).
// Self-contained but for saving: it takes the buyer and a `save` function, so the admin's buyer
// page and a buyer's own page each pass their own tRPC mutation.
import {
  bodyTemplateProblems,
  buildBuyerRequest,
  REDACTED,
  SAMPLE_LEAD,
  type RequestKind,
  type RequestTemplate,
} from "@leadflow/engine";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Field } from "../../components/Field";
import { useFocusFirstError } from "../../components/form";
import { fieldErrorsOf, messageOf, useTRPC, type FieldErrors } from "../../trpc";
import {
  bodyTemplateOf,
  emptyRow,
  leadSources,
  templateFormFrom,
  templateOf,
  type BodyForm,
  type RowForm,
  type TemplateForm,
} from "./template-form";

export interface TemplateSaveInput {
  id: string;
  requestTemplate: RequestTemplate | null;
  /** Left out: the stored secret stays. */
  requestAuthSecret?: string;
}

export interface BuyerTemplateEditorProps {
  buyerId: string;
  buyerName: string;
  template: RequestTemplate | null;
  hasAuthSecret: boolean;
  /** Saves; rejects with the tRPC error on a refusal, whose field errors are shown on their fields. */
  save: (input: TemplateSaveInput) => Promise<unknown>;
}

const FORMATS = [
  { value: "DEFAULT", label: "LeadFlow's JSON (default)" },
  { value: "JSON", label: "JSON" },
  { value: "FORM", label: "Form (URL-encoded)" },
  { value: "XML", label: "XML" },
] as const;

const AUTHS = [
  { value: "NONE", label: "None" },
  { value: "BEARER", label: "Bearer token" },
  { value: "BASIC", label: "Basic (user name and password)" },
  { value: "HEADER", label: "A header of the buyer's choosing" },
] as const;

const SAMPLE_PING_ID = "11111111-2222-4333-8444-555555555555";
const SAMPLE_BID_CENTS = 2500;

export function BuyerTemplateEditor({ buyerId, buyerName, template, hasAuthSecret, save }: BuyerTemplateEditorProps) {
  const [form, setForm] = useState<TemplateForm>(() => templateFormFrom(template));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const ref = useRef<HTMLFormElement>(null);
  useFocusFirstError(ref, attempt);
  const set = (p: Partial<TemplateForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...p }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setMessage(null);
    try {
      await save({
        id: buyerId,
        requestTemplate: templateOf(form),
        ...(form.secret ? { requestAuthSecret: form.secret } : {}),
      });
      setErrors({});
      setForm((f) => ({ ...f, secret: "" }));
      setSaved(true);
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setMessage(messageOf(err));
      setAttempt((a) => a + 1);
    } finally {
      setPending(false);
    }
  }

  const secretLabel = form.auth === "BASIC" ? "Password" : form.auth === "BEARER" ? "Token" : "Header value";
  return (
    <form
      ref={ref}
      onSubmit={submit}
      noValidate
      className="card settings"
      aria-label={`Request templates of ${buyerName}`}
    >
      <h2>Request templates</h2>
      <p className="hint">
        How {buyerName}&apos;s ping and post are written. Leave a request on LeadFlow&apos;s JSON to send today&apos;s
        body unchanged.
      </p>
      {(["ping", "post"] as const).map((kind) => (
        <BodyEditor
          key={kind}
          kind={kind}
          body={form[kind]}
          onChange={(b) => set({ [kind]: b } as Partial<TemplateForm>)}
          errors={errors}
        />
      ))}
      <h3>Authentication</h3>
      <Select
        label="Send with"
        value={form.auth}
        onChange={(v) => set({ auth: v as TemplateForm["auth"] })}
        options={AUTHS}
        errors={errors["requestTemplate.auth.kind"]}
      />
      {form.auth === "BASIC" ? (
        <Field
          label="User name"
          value={form.username}
          onChange={(e) => set({ username: e.target.value })}
          errors={errors["requestTemplate.auth.username"]}
          autoComplete="off"
        />
      ) : null}
      {form.auth === "HEADER" ? (
        <Field
          label="Header name"
          value={form.header}
          placeholder="X-Api-Key"
          onChange={(e) => set({ header: e.target.value })}
          errors={errors["requestTemplate.auth.header"]}
          autoComplete="off"
        />
      ) : null}
      {form.auth !== "NONE" ? (
        <Field
          label={secretLabel}
          type="password"
          value={form.secret}
          autoComplete="new-password"
          onChange={(e) => set({ secret: e.target.value })}
          errors={errors.requestAuthSecret}
          hint={
            hasAuthSecret
              ? "A secret is stored; it is never shown. Leave this empty to keep it."
              : "Stored to be sent with each request; never shown again, exported or logged."
          }
        />
      ) : null}
      <Preview form={form} />
      {message ? (
        <p className="error" role="alert">
          {message}
        </p>
      ) : null}
      {saved ? (
        <p className="ok" role="status">
          Templates saved. The next auction uses them.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={pending}>
          Save templates
        </button>
      </div>
    </form>
  );
}

function BodyEditor(props: {
  kind: RequestKind;
  body: BodyForm;
  onChange: (b: BodyForm) => void;
  errors: FieldErrors;
}) {
  const { kind, body, onChange, errors } = props;
  const at = (k: string) => errors[`requestTemplate.${kind}.${k}`];
  const title = kind === "ping" ? "Ping" : "Post";
  const setRow = (i: number, p: Partial<RowForm>) =>
    onChange({ ...body, rows: body.rows.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  return (
    <section aria-label={`${title} body`}>
      <h3>{title} body</h3>
      <Select
        label={`${title} format`}
        value={body.format}
        onChange={(v) =>
          onChange({
            ...body,
            format: v as BodyForm["format"],
            rows: v !== "DEFAULT" && body.rows.length === 0 ? [emptyRow(kind)] : body.rows,
          })
        }
        options={FORMATS}
        errors={at("format")}
        hint={kind === "ping" ? "A ping never carries contact details." : "The post is sent to the winner only."}
      />
      {body.format === "XML" ? (
        <Field
          label={`${title} root element`}
          value={body.root}
          placeholder="lead"
          onChange={(e) => onChange({ ...body, root: e.target.value })}
          errors={at("root")}
        />
      ) : null}
      {body.format !== "DEFAULT" ? (
        <>
          {at("fields")?.length ? (
            <p className="error" role="alert">
              {at("fields")!.join(" ")}
            </p>
          ) : null}
          {body.rows.map((r, i) => (
            <fieldset key={i} className="choices">
              <legend>
                {title} field {i + 1}
              </legend>
              <div className="grid3">
                <Field
                  label="Buyer's name"
                  value={r.name}
                  onChange={(e) => setRow(i, { name: e.target.value })}
                  errors={at(`fields.${i}.name`)}
                  hint={body.format === "FORM" ? undefined : "A dot nests: applicant.first_name"}
                />
                <Select
                  label="Value from"
                  value={r.kind === "lead" ? r.source : r.kind}
                  onChange={(v) =>
                    v === "custom" || v === "static" ? setRow(i, { kind: v }) : setRow(i, { kind: "lead", source: v })
                  }
                  options={[
                    ...leadSources(kind).map((s) => ({ value: s, label: `Lead: ${s}` })),
                    { value: "custom", label: "A custom field of the lead" },
                    { value: "static", label: "A fixed value" },
                  ]}
                  errors={at(`fields.${i}.source`)}
                />
                {r.kind === "custom" ? (
                  <Field
                    label="Custom field name"
                    value={r.custom}
                    onChange={(e) => setRow(i, { custom: e.target.value })}
                  />
                ) : r.kind === "static" ? (
                  <Field
                    label="Fixed value"
                    value={r.value}
                    onChange={(e) => setRow(i, { value: e.target.value })}
                    errors={at(`fields.${i}.value`)}
                  />
                ) : (
                  <Field
                    label="Default when empty"
                    value={r.default}
                    onChange={(e) => setRow(i, { default: e.target.value })}
                    errors={at(`fields.${i}.default`)}
                  />
                )}
              </div>
              <TextArea
                label="Value map (one per line: TX=Texas)"
                value={r.map}
                onChange={(v) => setRow(i, { map: v })}
                errors={at(`fields.${i}.map`)}
              />
              <button
                type="button"
                onClick={() => onChange({ ...body, rows: body.rows.filter((_, j) => j !== i) })}
                aria-label={`Remove ${title.toLowerCase()} field ${i + 1}`}
              >
                Remove
              </button>
            </fieldset>
          ))}
          <p>
            <button type="button" onClick={() => onChange({ ...body, rows: [...body.rows, emptyRow(kind)] })}>
              Add {title.toLowerCase()} field
            </button>
          </p>
        </>
      ) : null}
    </section>
  );
}

/** The exact requests for a sample lead whose text breaks naive templating; the secret stays hidden. */
function Preview({ form }: { form: TemplateForm }) {
  const template = templateOf(form);
  const secret = form.auth === "NONE" ? null : REDACTED;
  return (
    <section aria-label="Preview">
      <h3>Preview</h3>
      <p className="hint">
        What {SAMPLE_LEAD.contact.firstName as string} {SAMPLE_LEAD.contact.lastName as string}&apos;s sample lead would
        be sent as (a bid of $25.00). This is the exact body; the secret is shown as {REDACTED}.
      </p>
      {(["ping", "post"] as const).map((kind) => {
        const body = bodyTemplateOf(form[kind]);
        const problems = body ? bodyTemplateProblems(body, kind) : [];
        const req = buildBuyerRequest(
          template,
          kind,
          { lead: SAMPLE_LEAD, pingId: SAMPLE_PING_ID, bidCents: SAMPLE_BID_CENTS },
          secret,
        );
        const headers = Object.entries({ "content-type": req.contentType, ...req.headers });
        return (
          <div key={kind} className="preview" data-testid={`preview-${kind}`}>
            <h4>{kind === "ping" ? "Ping" : "Post"}</h4>
            {problems.length ? (
              <ul className="error">
                {problems.map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            ) : null}
            <pre className="request" tabIndex={0} aria-label={`${kind === "ping" ? "Ping" : "Post"} request preview`}>
              {headers.map(([k, v]) => `${k}: ${v}`).join("\n")}
              {"\n\n"}
              {req.body}
            </pre>
          </div>
        );
      })}
    </section>
  );
}

function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly { value: string; label: string }[];
  errors?: string[] | undefined;
  hint?: ReactNode;
}) {
  const id = useId();
  const described = [props.hint ? `${id}-hint` : null, props.errors?.length ? `${id}-err` : null].filter(Boolean);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.errors?.length ? true : undefined}
        aria-describedby={described.join(" ") || undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.errors?.length ? (
        <p className="error" id={`${id}-err`} role="alert">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function TextArea(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors?: string[] | undefined;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        rows={2}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.errors?.length ? true : undefined}
        aria-describedby={props.errors?.length ? `${id}-err` : undefined}
      />
      {props.errors?.length ? (
        <p className="error" id={`${id}-err`} role="alert">
          {props.errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** The admin's binding: saves through buyers.setRequestTemplate and refreshes the buyer list. */
export function AdminBuyerTemplateEditor(props: Omit<BuyerTemplateEditorProps, "save">) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const m = useMutation(
    trpc.buyers.setRequestTemplate.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.buyers.pathFilter()),
    }),
  );
  return <BuyerTemplateEditor {...props} save={(input) => m.mutateAsync(input)} />;
}
