// The whole buyer setup as a JSON file (docs/buyer-import.md): download it, or upload one. A bad
// file is refused whole, with every wrong line and field listed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, messageOf, useTRPC, useTRPCClient } from "../../trpc";

export function ImportExportPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const imp = useMutation(
    trpc.buyers.import.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.buyers.pathFilter()) }),
  );

  async function download() {
    setExportError(null);
    try {
      const data = await client.buyers.export.query();
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `leadflow-buyers-${data.exportedAt.slice(0, 10)}.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setExportError(messageOf(e));
    }
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (file) imp.mutate({ text: await file.text() });
  }
  const problems = fieldErrorsOf(imp.error).file ?? [];
  return (
    <section>
      <h1>Import and export buyers</h1>
      <p>
        One JSON file holds every vertical and buyer with its zips. Webhook signing secrets are never exported. The
        format is described in <code>docs/buyer-import.md</code>; buyers are matched by their <code>key</code>.
      </p>
      <h2>Export</h2>
      <button type="button" onClick={() => void download()}>
        Download the buyer setup
      </button>
      {exportError ? (
        <p className="error" role="alert">
          {exportError}
        </p>
      ) : null}
      <h2>Import</h2>
      <form onSubmit={(e) => void submit(e)} className="inline-form" noValidate>
        <div className="field">
          <label htmlFor="import-file">JSON file</label>
          <input
            id="import-file"
            type="file"
            accept="application/json,.json"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <p className="hint">
            Nothing is changed unless the whole file is valid. Buyers not in the file are left as they are.
          </p>
        </div>
        <button type="submit" className="primary" disabled={!file || imp.isPending}>
          {imp.isPending ? "Importing…" : "Import"}
        </button>
      </form>
      {imp.data ? (
        <p className="ok" role="status">
          Imported: {imp.data.verticals} verticals, {imp.data.created} buyers created, {imp.data.updated} updated.
        </p>
      ) : null}
      {imp.error ? (
        <div role="alert">
          <p className="error">
            {problems.length
              ? "The file was not imported (nothing was changed). Fix these lines:"
              : messageOf(imp.error)}
          </p>
          {problems.length ? (
            <ul className="problems">
              {problems.map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
