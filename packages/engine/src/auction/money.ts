/**
 * Money is integer cents. Amounts from buyers arrive as JSON numbers or strings in dollars or cents;
 * they are converted from their decimal text, never by multiplying a float (1.005 * 100 = 100.49…).
 */

/** A bid above this is a buyer's bug (a cents value sent as dollars, say), not an offer. */
export const MAX_BID_CENTS = 1_000_000; // $10,000

export type MoneyUnit = "dollars" | "cents";

export type CentsParse = { ok: true; cents: number } | { ok: false; error: string };

const DECIMAL = /^(\d+)(?:\.(\d*))?$/;

/**
 * Parses an amount to integer cents, rounding half-up on the decimal as written ("12.345" → 1235,
 * "1.005" → 101). Half-up rather than reject: buyers' JSON often carries float noise such as
 * 0.30000000000000004, and half a cent is below any price anyone cares about.
 * Negative, non-numeric, non-finite or absurd (> maxCents) amounts are errors, never a throw.
 */
export function toCents(value: unknown, unit: MoneyUnit, maxCents = MAX_BID_CENTS): CentsParse {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, error: `amount is not finite (${String(value)})` };
    if (value < 0) return { ok: false, error: `amount is negative (${value})` };
    // Shortest round-trip text; exponent forms only occur for tiny or enormous values.
    text = value < 1e-6 ? "0" : value >= 1e21 ? "9".repeat(22) : String(value);
  } else if (typeof value === "string") {
    text = value.trim();
    if (text.startsWith("-")) return { ok: false, error: `amount is negative (${JSON.stringify(value)})` };
  } else {
    return { ok: false, error: `amount is not a number (${describe(value)})` };
  }
  const m = DECIMAL.exec(text);
  if (!m) return { ok: false, error: `amount is not a decimal number (${JSON.stringify(text)})` };
  const whole = (m[1] ?? "0").replace(/^0+(?=\d)/, "");
  const frac = m[2] ?? "";
  const scale = unit === "dollars" ? 2 : 0;
  // Anything longer than 12 whole digits is absurd; stop before the arithmetic loses precision.
  if (whole.length > 12) return { ok: false, error: `amount is absurd (${text} ${unit})` };
  const kept = Number(whole + frac.padEnd(scale, "0").slice(0, scale));
  const roundUp = (frac.charCodeAt(scale) || 48) >= 53; // next digit ≥ "5"
  const cents = kept + (roundUp ? 1 : 0);
  if (cents > maxCents) return { ok: false, error: `amount is absurd (${text} ${unit} > ${maxCents} cents)` };
  return { ok: true, cents };
}

/**
 * The one money formatter, for every text a person reads (details, timelines, emails, the
 * dashboard): 123450 → "$1,234.50", -100 → "-$1.00". Integer arithmetic only, so no float ever
 * rounds a cent. `trimZeroCents` drops ".00" from whole dollars ("$2,400"), for prices and budgets
 * people quote in dollars and for chart axes.
 */
export function formatCents(cents: number, opts: { trimZeroCents?: boolean } = {}): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(cents));
  const dollars = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const rest = abs % 100;
  return opts.trimZeroCents && rest === 0
    ? `${sign}$${dollars}`
    : `${sign}$${dollars}.${String(rest).padStart(2, "0")}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
