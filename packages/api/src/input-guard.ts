// Text PostgreSQL cannot store: a NUL character (refused in text and jsonb) and an unpaired UTF-16
// surrogate (refused in jsonb). Both pass zod's string checks, so without this guard such input
// reached the database and came back as a 500. Every tRPC input and REST body is checked here
// first (trpc.ts, apps/server/src/app.ts) and refused as a 400 naming the field.

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Path ("contact.firstName", "(body)" at the top) of the first string or key that can't be stored. */
export function unstorableTextPath(value: unknown, prefix: (string | number)[] = []): string | null {
  const at = unstorableTextAt(value);
  return at ? [...prefix, ...at].join(".") || "(body)" : null;
}

/** The path, as a list, of the first string or key that can't be stored, or null. */
export function unstorableTextAt(
  value: unknown,
  path: (string | number)[] = [],
  depth = 0,
): (string | number)[] | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path : null;
  if (value === null || typeof value !== "object" || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = unstorableTextAt(value[i], [...path, i], depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (UNSTORABLE.test(k)) return [...path, k.replace(UNSTORABLE, "\uFFFD")];
    const p = unstorableTextAt(v, [...path, k], depth + 1);
    if (p) return p;
  }
  return null;
}

export const UNSTORABLE_MESSAGE =
  "contains a character that can't be stored (a NUL or a broken unicode character); remove it and try again";
