// A CommonJS package that most processes never use, or use only on their first lead or message,
// loaded on its first use rather than at start-up: twilio (voice webhooks, SMS), pdfkit (monthly
// statements), node-ical (calendar feeds), libphonenumber-js and mailchecker (a lead's contact
// validation) and react-dom/server (drawing an email). Each process loaded all of them before it
// could listen, and so did every test file that imports this package. Measured on 2 cores
// (2026-12-04): the first three load in 0.14, 0.08 and 0.08 s on their own, and lazily the
// server's import fell from about 1.3 s to 1.2 s; the next three in 0.14, 0.17 and 0.05 s, and with
// PGlite also loaded on use (@leadflow/db's client.ts) this package's import fell from about
// 1.9 s to 1.2-1.4 s. A process that uses one pays once, on that first use.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
