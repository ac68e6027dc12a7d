// The HTTP side of errors in one place: the body limit and the `error` code each 4xx status is
// answered with (app.ts answers with them; the OpenAPI document, rest/openapi.ts, names them).

/** Largest request body (JSON) the server reads: 1 MB. */
export const BODY_LIMIT = 1024 * 1024;

export const ERROR_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  406: "NOT_ACCEPTABLE",
  408: "REQUEST_TIMEOUT",
  409: "CONFLICT",
  411: "LENGTH_REQUIRED",
  412: "PRECONDITION_FAILED",
  413: "PAYLOAD_TOO_LARGE",
  414: "URI_TOO_LONG",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
};

/** The codes of the answers that are not a client's fault. */
export const SERVER_ERROR_CODES = { 500: "INTERNAL", 503: "UNAVAILABLE" } as const;
