// Tests only: holds the REST answers of a running app to the published contract. Installed on an
// app by the REST integration tests (ping-post, leads, returns, openapi), it validates every answer
// of an /api/v1 route, as sent, against the OpenAPI document's schema for its path, method and
// status (ajv, JSON Schema 2020-12, the dialect of OpenAPI 3.1), and records what does not match:
// a status the document does not list, a body outside its schema, a route the document lacks.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance } from "fastify";
import { buildOpenApiDocument, openApiPath, OPENAPI_PATH, REFERENCE_PATH, type OpenApiDocument } from "./openapi";

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** The document's own routes: what they serve is the contract, not an answer under it. */
export const CONTRACT_ROUTES = new Set([OPENAPI_PATH, REFERENCE_PATH]);

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

export class ContractValidator {
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(readonly doc: OpenApiDocument = buildOpenApiDocument("http://127.0.0.1")) {
    this.ajv.addSchema(doc as object, "openapi.json");
  }

  /** Problems of one answer: [] when it is what the document says this route answers with this status. */
  problems(method: string, route: string, status: number, body: unknown): string[] {
    const path = openApiPath(route);
    const m = method.toLowerCase();
    const op = (this.doc.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>)[path]?.[m];
    if (!op) return [`${method} ${route} is not in the document`];
    if (!op.responses?.[String(status)])
      return [`${method} ${route} answered ${status}, which the document does not list`];
    const key = `${m} ${path} ${status}`;
    let validate = this.cache.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile({
        $ref: `openapi.json#/${pointer("paths", path, m, "responses", String(status), "content", "application/json", "schema")}`,
      });
      this.cache.set(key, validate);
    }
    if (!validate || validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${method} ${route} ${status}: ${e.instancePath || "(body)"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
    );
  }
}

export interface ContractCheck {
  /** Answers validated so far. */
  readonly checked: number;
  /** Every mismatch, with the route, the status and ajv's complaint. */
  readonly violations: string[];
}

/** Validates every /api/v1 answer this app sends from now on (hooks apply to routes already registered). */
export function checkAnswers(app: FastifyInstance, validator = new ContractValidator()): ContractCheck {
  const state = { checked: 0, violations: [] as string[] };
  app.addHook("onSend", async (req, reply, payload) => {
    const route = req.routeOptions.url;
    if (!route?.startsWith("/api/v1/") || CONTRACT_ROUTES.has(route)) return payload;
    const type = String(reply.getHeader("content-type") ?? "");
    if (!type.startsWith("application/json")) {
      state.violations.push(`${req.method} ${route} ${reply.statusCode}: content-type ${type}, not JSON`);
      return payload;
    }
    let body: unknown;
    try {
      body = JSON.parse(typeof payload === "string" ? payload : String(payload));
    } catch {
      state.violations.push(`${req.method} ${route} ${reply.statusCode}: the body is not JSON`);
      return payload;
    }
    state.checked++;
    state.violations.push(...validator.problems(req.method, route, reply.statusCode, body));
    return payload;
  });
  return state;
}

/** Every route of a Fastify app as "METHOD /path" (HEAD, which Fastify adds to each GET, left out). */
export function routesOf(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!m) continue;
    stack.length = m[1]!.length / 4;
    stack.push(m[2]!);
    const path = stack.join("");
    for (const method of m[3]!.split(",").map((x) => x.trim())) if (method !== "HEAD") out.push(`${method} ${path}`);
  }
  return out;
}
