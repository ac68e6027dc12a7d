// Every REST answer goes out through its zod schema (the one the OpenAPI document is generated
// from): what is sent is exactly what the contract names, unknown fields are dropped, and an answer
// that breaks the contract is our bug, a 500 logged with the schema's complaint, never sent half-right.
import type { z } from "zod";

export class AnswerOutOfContract extends Error {
  constructor(public readonly issues: z.core.$ZodIssue[]) {
    super(`answer does not match its schema: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    this.name = "AnswerOutOfContract";
  }
}

export function answer<S extends z.ZodType>(schema: S, value: z.output<S>): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AnswerOutOfContract(r.error.issues);
  return r.data;
}
