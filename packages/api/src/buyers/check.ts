// Turning schema failures into field errors a form can show beside its fields. Paths are dot
// joined ("serviceZips.2.zip"), the same keys the dashboard uses for its inputs. Pure, so the
// dashboard runs the same check before it sends (../forms.ts).
import type { z } from "zod";
import type { Problem } from "./schemas";

export type FieldErrors = Record<string, string[]>;

export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join(".") || "(settings)";
}

export function toFieldErrors(problems: readonly Problem[]): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) (out[pathKey(p.path)] ??= []).push(p.message);
  return out;
}

export function zodProblems(err: z.ZodError): Problem[] {
  return err.issues.map((i) => ({
    path: i.path.map((s) => (typeof s === "symbol" ? String(s) : s)),
    message: i.message,
  }));
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Shape first, then the cross-field rules, which only make sense on a well-shaped value. */
export function check<T>(schema: z.ZodType<T>, value: unknown, rules: (v: T) => Problem[]): Checked<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // Report the cross-field rules too, so a person fixes the file or form in one pass; they run on
    // the raw value best-effort and only add problems on fields the schema had no complaint about.
    const problems = zodProblems(parsed.error);
    const seen = new Set(problems.map((p) => pathKey(p.path)));
    let more: Problem[] = [];
    try {
      if (value !== null && typeof value === "object") more = rules(value as T);
    } catch {
      more = [];
    }
    return { ok: false, problems: [...problems, ...more.filter((p) => !seen.has(pathKey(p.path)))] };
  }
  const problems = rules(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, value: parsed.data };
}
