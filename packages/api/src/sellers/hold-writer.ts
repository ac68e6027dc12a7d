// The holds of answered pings, written after the answer (ping-lead.ts answers as soon as its quote
// is known). The held bids are written by a synchronous commit, and pings that finish together
// share one statement and one commit (a batch is whatever queued while the previous batch was
// writing).
// Until its hold is written, a pingId is known to this process only: a post of it here waits for
// the write (holdWritten); a post that reaches another process polls briefly (post-lead.ts).
// A hold whose write failed is logged and never appears: its post is refused as an unknown ping.
import { insertSellerPings, type Db, type NewSellerPing } from "@leadflow/db";
import type { Logger } from "pino";

const MAX_BATCH = 200;

interface Queued {
  row: NewSellerPing;
  done: (err?: unknown) => void;
}

class HoldWriter {
  private queue: Queued[] = [];
  private writing = false;
  constructor(private readonly db: Db) {}

  write(row: NewSellerPing): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    // Let the pings answered in this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await insertSellerPings(
            this.db,
            batch.map((b) => b.row),
          );
          for (const b of batch) b.done();
        } catch (err) {
          for (const b of batch) b.done(err ?? new Error("hold write failed"));
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const writers = new WeakMap<Db, HoldWriter>();
/** Holds being written in this process, by pingId. */
const pending = new Map<string, Promise<void>>();

/**
 * The holds this process answered most recently, as written (their fields never change; whether a
 * ping is used is decided by the post's claim in the database): a post of one of them needs no
 * read of its row. At most RECENT_MAX, the oldest dropped first; a post of a dropped one, or of a
 * ping answered by another process, reads the row.
 */
const recent = new Map<string, { db: Db; row: NewSellerPing }>();
const RECENT_MAX = 1024;

/**
 * Queues the hold's write; the promise settles when it is committed (or failed: logged, and its
 * post is then refused as an unknown ping).
 */
export function writeHold(db: Db, row: NewSellerPing, log?: Pick<Logger, "error">): Promise<void> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new HoldWriter(db)));
  const p = w.write(row).then(
    () => {
      if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
      recent.set(row.id, { db, row });
    },
    (err: unknown) => {
      log?.error({ err, pingId: row.id }, "could not write a ping's hold; its post will be refused as an unknown ping");
      throw err;
    },
  );
  const tracked = p.finally(() => pending.delete(row.id));
  tracked.catch(() => undefined);
  pending.set(row.id, tracked);
  return tracked;
}

/** Resolves when this process has no write of that ping's hold in flight (true if there was one). */
export async function holdWritten(pingId: string): Promise<boolean> {
  const p = pending.get(pingId);
  if (!p) return false;
  await p.catch(() => undefined);
  return true;
}

/** A hold this process wrote (committed) recently, or null; see `recent`. */
export function recentHold(db: Db, pingId: string): NewSellerPing | null {
  const r = recent.get(pingId);
  return r && r.db === db ? r.row : null;
}

/** The ping was claimed by a post: no other post can use it, so its copy goes. */
export function forgetHold(pingId: string): void {
  recent.delete(pingId);
}

/** Resolves when every hold queued so far in this process is written (tests, shutdown). */
export async function holdsWritten(): Promise<void> {
  await Promise.all([...pending.values()].map((p) => p.catch(() => undefined)));
}
