import type { DbHandle } from "@leadflow/db";
import type { SessionUser } from "@leadflow/api";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { z } from "zod";

/** The channel the database triggers NOTIFY on (packages/db/drizzle/0013_live_events.sql). */
export const LIVE_CHANNEL = "leadflow_events";
/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 25_000;

const changeSchema = z.object({
  kind: z.enum(["lead", "offer", "delivery", "return"]),
  id: z.string(),
  orgIds: z.array(z.string()).nullable(),
});
export type LiveChange = z.infer<typeof changeSchema>;
/** What a dashboard receives: only what changed, never its content. */
export type LiveEvent = Pick<LiveChange, "kind" | "id">;

/** Admins see every change; everyone else the changes their organisation is named in. */
export function concerns(user: Pick<SessionUser, "role" | "orgId">, change: LiveChange): boolean {
  return user.role === "admin" || (change.orgIds ?? []).includes(user.orgId);
}

/**
 * One LISTEN per server process, fanned out in memory to its open streams. Started lazily by the
 * first subscriber so tests and scripts that never stream hold no extra connection.
 */
export class LiveHub {
  private subscribers = new Set<(change: LiveChange) => void>();
  private stop: Promise<() => Promise<void>> | null = null;

  constructor(
    private readonly handle: DbHandle,
    private readonly log: Logger,
  ) {}

  async subscribe(fn: (change: LiveChange) => void): Promise<() => void> {
    this.subscribers.add(fn);
    try {
      this.stop ??= this.handle.listen(LIVE_CHANNEL, (payload) => this.dispatch(payload));
      await this.stop;
    } catch (err) {
      this.stop = null;
      this.subscribers.delete(fn);
      throw err;
    }
    return () => this.subscribers.delete(fn);
  }

  private dispatch(payload: string) {
    let change: LiveChange;
    try {
      change = changeSchema.parse(JSON.parse(payload));
    } catch (err) {
      this.log.warn({ err }, "live: ignored a notification that is not a change");
      return;
    }
    for (const fn of this.subscribers) fn(change);
  }

  async close(): Promise<void> {
    const stop = this.stop;
    this.stop = null;
    this.subscribers.clear();
    if (stop) await (await stop.catch(() => async () => {}))();
  }
}

/**
 * GET /api/live: a text/event-stream of {kind, id} for the changes the session's user may see
 * (docs/architecture.md, "Live updates"). 401 without a session.
 */
export function registerLiveRoute(
  app: FastifyInstance,
  hub: LiveHub,
  userFor: (token: string | undefined) => Promise<SessionUser | null>,
  cookieName: string,
): void {
  const open = new Set<() => void>();
  // Open streams would keep the server from closing (it waits for its connections): preClose
  // runs before it stops listening.
  app.addHook("preClose", async () => {
    for (const end of open) end();
  });
  app.get("/api/live", async (req, reply) => {
    const user = await userFor(req.cookies[cookieName]);
    if (!user) return reply.status(401).send({ error: "UNAUTHORIZED", message: "Sign in to receive live updates." });
    const raw = reply.raw;
    const send = (change: LiveChange) => {
      if (!concerns(user, change)) return;
      const event: LiveEvent = { kind: change.kind, id: change.id };
      raw.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const unsubscribe = await hub.subscribe(send);
    reply.hijack();
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx buffers proxied responses by default: that would hold events back.
      "x-accel-buffering": "no",
    });
    // Tells the browser how long to wait before reconnecting, and the client that it is open.
    raw.write("retry: 3000\n: open\n\n");
    const heartbeat = setInterval(() => raw.write(": keep-alive\n\n"), HEARTBEAT_MS);
    const end = () => {
      if (!open.delete(end)) return;
      clearInterval(heartbeat);
      unsubscribe();
      raw.end();
    };
    open.add(end);
    req.raw.once("close", end);
  });
}
