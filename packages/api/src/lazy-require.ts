// A CommonJS package that most processes never use, loaded on its first use rather than at
// start-up: twilio (voice webhooks, SMS), pdfkit (monthly statements) and node-ical (calendar
// feeds). Each process loaded all three before it could listen, and so did every test file that
// imports this package. Measured on 2 cores (2026-12-04): on their own they load in 0.14, 0.08 and
// 0.08 s; lazily, the server's import fell from about 1.3 s to 1.2 s (they share modules with what
// stays). A process that uses one pays once, on that first use.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
