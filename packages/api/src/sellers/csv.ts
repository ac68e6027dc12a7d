// CSV for the seller's exports (RFC 4180): a cell with a comma, a quote, a line break or spaces at
// its ends is quoted, quotes doubled; lines end in CRLF. Text a seller (or anyone) sent may start
// with = + - @ (or a tab or carriage return) and be read by a spreadsheet as a formula (OWASP's CSV
// injection): such a cell gets a leading apostrophe, which spreadsheets show as text. Our own
// numbers (counts, amounts) are written as they are.

/** A value we formatted ourselves (an amount, a count): written as is, never neutralised. */
export class CsvNumber {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a number: ${text}`);
  }
}
export type CsvCell = string | number | boolean | null | undefined | CsvNumber;

const FORMULA_START = /^[\s]*[=+\-@]|^[\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  if (v instanceof CsvNumber) return v.text;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "yes" : "no";
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** Cents as dollars with two decimals ("-15.00"), in integers: no float ever touches the money. */
export function csvDollars(cents: number): CsvNumber {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(cents));
  return new CsvNumber(`${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`);
}
