import type { FastifyInstance, FastifyRequest } from "fastify";

/**
 * Cross-site request forgery guard for the dashboard's API (/trpc, the only routes a session
 * cookie authenticates). A call that changes something (any method but GET/HEAD/OPTIONS):
 *
 * 1. with an `Origin` header: the origin must be this site's, either PUBLIC_URL's origin or the
 *    scheme and the `Host` the request was sent to; anything else (another site, `null`) is a 403;
 * 2. without `Origin` but with `Sec-Fetch-Site`: it must say `same-origin`, else 403;
 * 3. with neither header: allowed. Browsers send `Origin` on every POST (and `Sec-Fetch-Site`
 *    too), so such a call comes from a program (curl, a test), which no other site can make act
 *    with someone's cookie;
 * 4. and in every case the body must be `application/json` (else 415). A page on another site
 *    cannot send JSON to us without a CORS preflight, which we never allow, so even a browser
 *    old enough to send neither header cannot be made to post a form or multipart body here.
 *
 * Checked when the request arrives, before its body is read. The REST API (/api/v1, API keys)
 * and the call webhook (signed form posts) carry no cookie and are not concerned.
 */
export function registerCsrfGuard(app: FastifyInstance, publicUrl: string | undefined): void {
  let publicOrigin: string | null = null;
  try {
    if (publicUrl) publicOrigin = new URL(publicUrl).origin;
  } catch {
    publicOrigin = null;
  }
  app.addHook("onRequest", async (req) => {
    if (!isTrpcRoute(req) || SAFE_METHODS.has(req.method)) return;
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    if (origin !== undefined) {
      if (!sameOrigin(origin, req, publicOrigin)) {
        throw httpError(
          403,
          "FORBIDDEN",
          `Cross-site request refused: a page on ${origin.slice(0, 200) || "another site"} may not call this API. Use the dashboard at this server's address.`,
        );
      }
    } else if (site !== undefined && site !== "same-origin") {
      throw httpError(
        403,
        "FORBIDDEN",
        `Cross-site request refused (Sec-Fetch-Site: ${String(site).slice(0, 40)}). Use the dashboard at this server's address.`,
      );
    }
    const type = (req.headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw httpError(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        `Calls to /trpc take a JSON body (Content-Type: application/json), not ${type ? type.slice(0, 100) : "no Content-Type"}.`,
      );
    }
  });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The matched route, not the raw URL: an encoded path (`/%74rpc/…`) is still caught. */
function isTrpcRoute(req: FastifyRequest): boolean {
  const route = req.routeOptions.url;
  return route !== undefined && (route === "/trpc" || route.startsWith("/trpc/"));
}

function sameOrigin(origin: string, req: FastifyRequest, publicOrigin: string | null): boolean {
  if (publicOrigin !== null && origin === publicOrigin) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, some redirects) and anything malformed
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.origin !== origin) return false;
  // The scheme is not compared: behind a proxy that ends TLS the request arrives as http. The
  // host is the Host header (X-Forwarded-Host only from a trusted proxy, TRUST_PROXY).
  const host = (req.host ?? "").toLowerCase();
  return host !== "" && u.host === host;
}

export function httpError(
  statusCode: number,
  code: string,
  message: string,
): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(message), { statusCode, code });
}
