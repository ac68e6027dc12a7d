// The server's side of ./check.ts: a failed check becomes an AppError carrying the field errors.
import type { z } from "zod";
import { AppError } from "../errors";
import type { Problem } from "./schemas";
import { check, toFieldErrors } from "./check";

export { check, pathKey, toFieldErrors, zodProblems, type Checked, type FieldErrors } from "./check";

export function invalidSettings(problems: readonly Problem[]): AppError {
  return new AppError("BAD_REQUEST", "Some settings need attention.", toFieldErrors(problems));
}

/**
 * A tRPC input parser that reports every problem on its own field (full path), which the
 * default zod flattening would fold into the top-level key.
 */
export function fieldParser<T>(schema: z.ZodType<T>, rules: (v: T) => Problem[] = () => [], strip?: string) {
  return (value: unknown): T => {
    const r = check(schema, value, rules);
    // The admin editor nests the buyer under "buyer"; its form keys are the buyer's own fields.
    const unnest = (p: Problem): Problem =>
      strip && p.path[0] === strip && p.path.length > 1 ? { ...p, path: p.path.slice(1) } : p;
    if (!r.ok) throw invalidSettings(r.problems.map(unnest));
    return r.value;
  };
}
