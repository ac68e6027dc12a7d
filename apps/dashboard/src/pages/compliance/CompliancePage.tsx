// Compliance (docs/compliance.md): which screens each vertical applies, the suppression lists
// (a CSV upload with its progress and per-line report) and the do-not-call registry's import.
// Uploads stream to /api/admin/compliance/… (apps/server/src/compliance-uploads.ts); the progress
// bar is the bytes sent, and the report is the server's answer.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { when } from "../auction/format";

interface Refusal {
  line: number;
  reason: string;
}
interface Report {
  lines: number;
  added: number;
  alreadyListed?: number;
  refused: number;
  refusals: Refusal[];
}

/** Sends a file as the request body, calling onProgress with the share sent (0–1). */
function sendFile(url: string, file: File, type: string, onProgress: (share: number) => void): Promise<Report> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", type);
    xhr.setRequestHeader("x-leadflow-upload", "1");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Report);
      else reject(new Error((body as { message?: string } | null)?.message ?? `The upload failed (${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("The upload was interrupted; try again."));
    xhr.send(file);
  });
}

function UploadForm({
  title,
  hint,
  accept,
  type,
  url,
  withBuyer,
  onDone,
}: {
  title: string;
  hint: string;
  accept: string;
  type: string;
  url: (buyerId: string, fileName: string) => string;
  withBuyer: boolean;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const buyers = useQuery({ ...trpc.buyers.list.queryOptions(), enabled: withBuyer });
  const [file, setFile] = useState<File | null>(null);
  const [buyerId, setBuyerId] = useState("");
  const [share, setShare] = useState<number | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setError("Choose a file first.");
      return;
    }
    setError(null);
    setReport(null);
    setShare(0);
    try {
      setReport(await sendFile(url(buyerId, file.name), file, type, setShare));
      onDone();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setShare(null);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p className="hint">{hint}</p>
      {withBuyer ? (
        <div className="field">
          <label htmlFor={`${id}-buyer`}>List</label>
          <select id={`${id}-buyer`} value={buyerId} onChange={(e) => setBuyerId(e.target.value)}>
            <option value="">Global: no buyer gets these people</option>
            {(buyers.data ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                Only {b.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-file`}>File</label>
        <input id={`${id}-file`} type="file" accept={accept} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <button type="submit" disabled={share !== null}>
        {share !== null ? "Uploading…" : "Upload"}
      </button>
      {share !== null ? (
        <p>
          <label htmlFor={`${id}-progress`}>Sent </label>
          <progress id={`${id}-progress`} max={100} value={Math.round(share * 100)}>
            {Math.round(share * 100)}%
          </progress>{" "}
          {Math.round(share * 100)}%{share >= 1 ? ", reading it…" : ""}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <div role="status" data-testid="upload-report">
          <p>
            {report.lines.toLocaleString("en-US")} lines read: {report.added.toLocaleString("en-US")} added
            {report.alreadyListed !== undefined
              ? `, ${report.alreadyListed.toLocaleString("en-US")} already listed`
              : ""}
            , {report.refused.toLocaleString("en-US")} refused.
          </p>
          <DataTable
            caption={`Refused lines (${title})`}
            showCaption
            rows={report.refusals}
            rowKey={(r) => String(r.line)}
            empty="No line was refused."
            columns={[
              { key: "line", header: "Line", cell: (r) => r.line, numeric: true, rowHeader: true },
              { key: "reason", header: "Why", cell: (r) => r.reason },
            ]}
          />
        </div>
      ) : null}
    </form>
  );
}

/** A vertical's retention period: days after which leads' contact fields are purged; empty keeps them. */
function RetentionForm({
  vertical,
  name,
  days,
  onDone,
}: {
  vertical: string;
  name: string;
  days: number | null;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [value, setValue] = useState(days === null ? "" : String(days));
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(trpc.compliance.setVerticalRetention.mutationOptions({ onSuccess: onDone }));
  function submit(e: FormEvent) {
    e.preventDefault();
    const t = value.trim();
    const n = t === "" ? null : Number(t);
    if (n !== null && (!Number.isInteger(n) || n < 1 || n > 3650)) {
      setError("Enter a whole number of days from 1 to 3650, or leave it empty to keep leads.");
      return;
    }
    setError(null);
    save.mutate({ key: vertical, retentionDays: n });
  }
  return (
    <form onSubmit={submit} noValidate aria-label={`Retention: ${name}`}>
      <Field
        label="Purge contact details after (days)"
        inputMode="numeric"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        hint={
          days === null
            ? "Empty: kept. Names, phones, emails, addresses and custom fields are purged; counts and amounts stay."
            : `Now: purged after ${days} days. Counts and amounts stay.`
        }
        errors={error ? [error] : save.error ? [messageOf(save.error) ?? "Saving failed."] : undefined}
      />
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save retention"}
      </button>
      {save.isSuccess && !save.isPending ? <p role="status">Saved.</p> : null}
    </form>
  );
}

const TABLE_WORDS: Record<string, string> = {
  leads: "leads",
  transactions: "pings and posts",
  lead_events: "timeline entries",
  deliveries: "deliveries",
  email_outbox: "emails",
  notifications: "notifications",
  return_requests: "return requests",
  market_leads: "marketplace inquiries",
  market_lead_events: "inquiry timeline entries",
  lead_assignments: "DJ offers",
  dj_notifications: "DJ notifications",
  djs: "DJ contact details",
  dj_notify_settings: "DJ notification settings",
  call_leads: "tracked calls",
};

/** "3 leads, 2 emails" from a deletion's per-table counts. */
function removedText(removed: Record<string, number>): string {
  const parts = Object.entries(removed).map(([t, n]) => `${n} ${TABLE_WORDS[t] ?? t.replace(/_/g, " ")}`);
  return parts.length ? parts.join(", ") : "nothing found";
}

/** A person asked to be forgotten: their phone and/or email, then what was removed. */
function DeletionForm() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.compliance.deletionRequests.queryOptions());
  const [phone, setPhone] = useState("");
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const erase = useMutation(
    trpc.compliance.requestDeletion.mutationOptions({
      onSuccess: () => {
        setPhone("");
        setEmail("");
        void qc.invalidateQueries(trpc.compliance.deletionRequests.pathFilter());
      },
    }),
  );
  const fe = erase.error ? fieldErrorsOf(erase.error) : {};
  const fieldErrors = Object.keys(fe).length ? fe : undefined;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!phone.trim() && !email.trim()) {
      setError("Enter the person's phone, email or both.");
      return;
    }
    setError(null);
    erase.mutate({ phone: phone.trim() || null, email: email.trim() || null });
  }
  return (
    <>
      <form onSubmit={submit} noValidate aria-label="Deletion request">
        <h2>Deletion request</h2>
        <p className="hint">
          A person asked to be forgotten. Their name, phone, email, address and custom fields are removed from every
          lead, email, notification, webhook body, return and marketplace inquiry that names them; counts and amounts
          stay. An audit entry keeps when, who and how many rows, never the data. To stop contacting them too, use Do
          not contact first (it keeps only keyed hashes).
        </p>
        <Field
          label="Phone"
          type="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          errors={fieldErrors?.phone ?? (error ? [error] : undefined)}
        />
        <Field
          label="Email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fieldErrors?.email}
        />
        <button type="submit" disabled={erase.isPending}>
          {erase.isPending ? "Removing…" : "Remove this person's data"}
        </button>
        {erase.error && !fieldErrors ? (
          <p className="error" role="alert">
            {messageOf(erase.error)}
          </p>
        ) : null}
        {erase.data ? <p role="status">Done: {removedText(erase.data.removed)}.</p> : null}
      </form>
      <DataTable
        caption="Deletion requests"
        showCaption
        rows={list.data ?? []}
        rowKey={(r) => r.id}
        empty="No deletion request yet."
        columns={[
          { key: "at", header: "When", cell: (r) => when(r.createdAt), rowHeader: true },
          { key: "by", header: "Entered by", cell: (r) => r.createdBy ?? "(deleted user)" },
          {
            key: "ids",
            header: "Asked by",
            cell: (r) => [r.byPhone ? "phone" : null, r.byEmail ? "email" : null].filter(Boolean).join(" and "),
          },
          { key: "removed", header: "Removed", cell: (r) => removedText(r.removed) },
        ]}
      />
    </>
  );
}

export function CompliancePage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const overview = useQuery(trpc.compliance.overview.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.compliance.pathFilter());
  const checks = useMutation(trpc.compliance.setVerticalChecks.mutationOptions({ onSuccess: refresh }));
  if (overview.isPending) return <p>Loading…</p>;
  if (overview.isError)
    return (
      <p className="error" role="alert">
        {messageOf(overview.error)}
      </p>
    );
  const o = overview.data;
  return (
    <section>
      <h1>Compliance</h1>
      <p>
        Before a lead&apos;s auction, its vertical&apos;s screens run: a person on the global suppression list (or,
        where the vertical applies them, the do-not-call registry or the litigator list) is offered to no buyer, and one
        on a buyer&apos;s own list is not offered to that buyer. Such buyers lose with &ldquo;Person is on a
        suppression, do-not-call or litigator list&rdquo;. Phones and emails are kept only as keyed hashes.
      </p>
      <h2>Screens per vertical</h2>
      {checks.error ? (
        <p className="error" role="alert">
          {messageOf(checks.error)}
        </p>
      ) : null}
      {o.verticals.length === 0 ? <p className="empty-state">No verticals yet.</p> : null}
      {o.litigatorConfigured ? null : (
        <p className="hint" data-testid="litigator-unconfigured">
          No litigator list is configured on the server (LITIGATOR_URL, LITIGATOR_KEY): a vertical that applies it
          refuses every lead with a phone, unless it lets unchecked leads through.
        </p>
      )}
      {o.verticals.map((v) => {
        const set = (
          change: Partial<Pick<typeof v, "checkSuppression" | "checkDnc" | "checkLitigator" | "litigatorFailOpen">>,
        ) =>
          checks.mutate({
            key: v.key,
            checkSuppression: v.checkSuppression,
            checkDnc: v.checkDnc,
            checkLitigator: v.checkLitigator,
            litigatorFailOpen: v.litigatorFailOpen,
            ...change,
          });
        return (
          <fieldset key={v.key} className="choices">
            <legend>{v.name}</legend>
            <label className="choice">
              <input
                type="checkbox"
                checked={v.checkSuppression}
                disabled={checks.isPending}
                onChange={(e) => set({ checkSuppression: e.target.checked })}
              />
              <span>Suppression lists</span>
            </label>
            <label className="choice">
              <input
                type="checkbox"
                checked={v.checkDnc}
                disabled={checks.isPending}
                onChange={(e) => set({ checkDnc: e.target.checked })}
              />
              <span>Do-not-call registry</span>
            </label>
            <label className="choice">
              <input
                type="checkbox"
                checked={v.checkLitigator}
                disabled={checks.isPending}
                onChange={(e) => set({ checkLitigator: e.target.checked })}
              />
              <span>Litigator list</span>
            </label>
            {v.checkLitigator ? (
              <label className="choice">
                <input
                  type="checkbox"
                  checked={v.litigatorFailOpen}
                  disabled={checks.isPending}
                  onChange={(e) => set({ litigatorFailOpen: e.target.checked })}
                />
                <span>When the litigator list cannot be asked, let the lead through (default: refuse it)</span>
              </label>
            ) : null}
            <RetentionForm vertical={v.key} name={v.name} days={v.retentionDays} onDone={refresh} />
          </fieldset>
        );
      })}
      <h2>Suppression lists</h2>
      <DataTable
        caption="Suppression lists"
        rows={o.lists}
        rowKey={(l) => l.buyerId ?? "global"}
        empty="Every list is empty."
        columns={[
          {
            key: "list",
            header: "List",
            cell: (l) => (l.buyerId ? `Only ${l.buyerName ?? "a buyer"}` : "Global"),
            rowHeader: true,
          },
          { key: "phones", header: "Phones", cell: (l) => l.phones.toLocaleString("en-US"), numeric: true },
          { key: "emails", header: "Emails", cell: (l) => l.emails.toLocaleString("en-US"), numeric: true },
        ]}
      />
      <UploadForm
        title="Upload a suppression list"
        hint="A CSV of phones and emails, any number of columns (a first line of column names is skipped). US phones have 10 digits; others start with + and the country code. Every refused line is listed with its reason."
        accept=".csv,text/csv,text/plain"
        type="text/csv"
        withBuyer
        url={(buyerId, name) =>
          `/api/admin/compliance/suppression?${new URLSearchParams({ fileName: name, ...(buyerId ? { buyerId } : {}) }).toString()}`
        }
        onDone={() => void refresh()}
      />
      <h2>Recent uploads</h2>
      <DataTable
        caption="Recent suppression uploads"
        rows={o.uploads}
        rowKey={(u) => u.id}
        empty="Nothing uploaded yet."
        columns={[
          { key: "file", header: "File", cell: (u) => u.fileName, rowHeader: true },
          { key: "list", header: "List", cell: (u) => (u.buyerId ? `Only ${u.buyerName ?? "a buyer"}` : "Global") },
          { key: "at", header: "Uploaded", cell: (u) => when(u.createdAt) },
          { key: "state", header: "State", cell: (u) => (u.finishedAt ? "Done" : `Reading (${u.lines} lines so far)`) },
          { key: "added", header: "Added", cell: (u) => u.added.toLocaleString("en-US"), numeric: true },
          { key: "refused", header: "Refused", cell: (u) => u.refused.toLocaleString("en-US"), numeric: true },
        ]}
      />
      <h2>Do-not-call registry</h2>
      <p>{o.dncNumbers.toLocaleString("en-US")} numbers listed.</p>
      <UploadForm
        title="Import registry files"
        hint="The national registry's data files: one 10-digit number per line, one file per area code. Numbers already listed are skipped."
        accept=".txt,.csv,text/plain,text/csv"
        type="text/plain"
        withBuyer={false}
        url={(_b, name) => `/api/admin/compliance/dnc?${new URLSearchParams({ fileName: name }).toString()}`}
        onDone={() => void refresh()}
      />
      <DataTable
        caption="Registry imports"
        showCaption
        rows={o.dncImports}
        rowKey={(d) => d.id}
        empty="No registry file imported yet."
        columns={[
          { key: "file", header: "File", cell: (d) => d.fileName, rowHeader: true },
          { key: "at", header: "Imported", cell: (d) => when(d.createdAt) },
          { key: "added", header: "Added", cell: (d) => d.added.toLocaleString("en-US"), numeric: true },
          { key: "refused", header: "Refused", cell: (d) => d.refused.toLocaleString("en-US"), numeric: true },
          { key: "secs", header: "Seconds", cell: (d) => (d.ms / 1000).toFixed(1), numeric: true },
        ]}
      />
      <DeletionForm />
    </section>
  );
}
