// JSON.parse forgets where things were. An import that is refused must say which line to fix, so
// this small parser (strict JSON, RFC 8259) records the line of every value by its path.

export type JsonPath = (string | number)[];

/** "buyers[2].serviceZips[0].zip": the way the docs and error messages write a path. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out || "(file)";
}

export type LinedJson =
  | { ok: true; value: unknown; lineOf: (path: readonly (string | number | symbol)[]) => number }
  | { ok: false; line: number; column: number; message: string };

class JsonSyntax extends Error {
  constructor(
    message: string,
    public readonly at: number,
  ) {
    super(message);
  }
}

export function parseJsonWithLines(text: string): LinedJson {
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const lines = new Map<string, number>();
  let i = 0;

  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (msg: string): never => {
    throw new JsonSyntax(msg, i);
  };
  const expect = (ch: string) => {
    if (text[i] !== ch)
      fail(i >= text.length ? `unexpected end of file, expected "${ch}"` : `expected "${ch}" but found "${text[i]}"`);
    i++;
  };

  function str(): string {
    const start = i;
    expect('"');
    let out = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text[i]!;
      if (c === '"') break;
      if (c.charCodeAt(0) < 0x20) fail("control character in string (use \\n)");
      if (c === "\\") {
        const e = text[i + 1];
        const map: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e !== undefined && e in map) {
          out += map[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("bad escape in string");
        continue;
      }
      out += c;
      i++;
    }
    i++;
    if (i - start > 1_000_000) fail("string too long");
    return out;
  }

  function value(path: JsonPath, depth: number): unknown {
    if (depth > 64) fail("nested too deeply");
    ws();
    lines.set(formatPath(path), lineAt(i));
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") return (i++, obj);
      for (;;) {
        ws();
        const keyAt = i;
        const key = str();
        if (Object.prototype.hasOwnProperty.call(obj, key)) {
          i = keyAt;
          fail(`"${key}" appears twice in this object`);
        }
        ws();
        expect(":");
        const v = value([...path, key], depth + 1);
        lines.set(formatPath([...path, key]), lineAt(keyAt));
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return (i++, obj);
        else
          fail(
            i >= text.length ? "unexpected end of file inside an object" : `expected "," or "}" but found "${text[i]}"`,
          );
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === "]") return (i++, arr);
      for (;;) {
        arr.push(value([...path, arr.length], depth + 1));
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return (i++, arr);
        else
          fail(
            i >= text.length ? "unexpected end of file inside a list" : `expected "," or "]" but found "${text[i]}"`,
          );
      }
    }
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) return fail(i >= text.length ? "unexpected end of file" : `unexpected "${c}"`);
    i += lit[0].length;
    return lit[0] === "true" ? true : lit[0] === "false" ? false : lit[0] === "null" ? null : Number(lit[0]);
  }

  try {
    const v = value([], 0);
    ws();
    if (i < text.length) fail(`unexpected "${text[i]}" after the end of the data`);
    const lineOf = (path: readonly (string | number | symbol)[]) => {
      // A missing field is reported on the nearest enclosing value that exists.
      for (let n = path.length; n >= 0; n--) {
        const l = lines.get(formatPath(path.slice(0, n)));
        if (l !== undefined) return l;
      }
      return 1;
    };
    return { ok: true, value: v, lineOf };
  } catch (e) {
    if (!(e instanceof JsonSyntax)) throw e;
    const line = lineAt(e.at);
    return { ok: false, line, column: e.at - lineStarts[line - 1]! + 1, message: e.message };
  }
}
