import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction in it: query functions take this. */
export type DbOrTx = Db | Tx;

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** A SQL runner pg-boss can use (its `db` option) on either driver. */
export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  /** The connection string, when there is a server. pg-boss connects with its own pool then. */
  url?: string;
  /** postgres: seconds a new connection may take (pg-boss's pool uses the same). */
  connectTimeoutSeconds?: number;
  bossDb: BossDb;
  /**
   * LISTENs on a channel (postgres.js keeps one dedicated connection for all of a client's
   * channels and re-LISTENs after a reconnect); resolves to a function that stops listening.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** postgres://…; without it an embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; "memory://" for a throwaway one. */
  dataDir?: string;
  /** Pool size for postgres.js. */
  max?: number;
  /**
   * Named prepared statements (default true). Turn off behind a pooler in transaction mode that
   * cannot keep them (PgBouncer before 1.21, or without max_prepared_statements).
   */
  prepare?: boolean;
  /**
   * Seconds to wait for a new connection before giving up (default 5). While the database is
   * away a request waits at most this long before it answers 503, instead of the operating
   * system's TCP timeout (minutes) when the network drops packets rather than refusing them.
   */
  connectTimeoutSeconds?: number;
  /** The connections' application_name (pg_stat_activity tells the pools apart by it). */
  applicationName?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
/** PostgreSQL ends a session idle inside a transaction this long (its locks go with it). */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * drizzle runs every query through postgres.js's `unsafe` with prepare: false. For a query with
 * parameters postgres.js then sends Parse/Describe, waits for the parameter types, and only then
 * Bind/Execute: two round trips, and PostgreSQL parses and plans the text every time. Prepared,
 * a statement is described once per connection and afterwards costs one round trip and no parse.
 * This wraps the client (and every transaction client it hands out) so drizzle's queries are
 * prepared. Each connection's statements are freed when postgres.js retires the connection
 * (max_lifetime, 30-60 minutes), so texts that vary (multi-row inserts) cannot pile up for ever.
 */
export function preparing<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (prop === "unsafe") {
        return (text: string, args?: unknown[], options?: Record<string, unknown>) =>
          fn.call(target, text, args ?? [], { ...options, prepare: true });
      }
      if (prop === "begin" || prop === "savepoint") {
        // The transaction's own client is wrapped too: drizzle's queries inside it go through it.
        return (...a: unknown[]) => {
          const body = a.at(-1);
          if (typeof body !== "function") return fn.apply(target, a);
          return fn.apply(target, [...a.slice(0, -1), (tx: object) => (body as (t: object) => unknown)(preparing(tx))]);
        };
      }
      return fn.bind(target);
    },
  });
}

export async function createDb(opts: CreateDbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const connectTimeout = opts.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
    const client = postgres(opts.databaseUrl, {
      max: opts.max ?? 10,
      connect_timeout: connectTimeout,
      // After a failed connection postgres.js waits before the next attempt, and its default wait
      // grows with every failure in the pool to 10-20 s: after a blip of a few seconds, requests
      // hung that long for a connection (no answer at all while the database was away, and long
      // after it was back). At most a second: a refused connection is cheap to try again.
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
      // A session left inside a transaction that its client has lost track of (its connection was
      // cut mid-transaction and postgres.js reused the connection) held its row locks for good:
      // every inquiry then waited on the city's funnel counter. No transaction of ours waits for
      // anything but the database, so the server ends such a session after 30 s.
      connection: {
        idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
        ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
      },
      onnotice: () => {},
      // Timestamps come back as Date; numeric as string (money is converted explicitly).
    });
    const db = drizzlePostgres(opts.prepare === false ? client : preparing(client), { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      url: opts.databaseUrl,
      connectTimeoutSeconds: connectTimeout,
      bossDb: {
        async executeSql(text, values) {
          const rows = await client.unsafe(text, (values ?? []) as never[]);
          return { rows: [...rows] };
        },
      },
      async listen(channel, onPayload) {
        const sub = await client.listen(channel, onPayload);
        return () => sub.unlisten();
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = opts.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  // PGlite (a WebAssembly PostgreSQL) and its drizzle driver are loaded only here, by the process
  // that runs on the embedded database: at start-up they cost every other process (a server on
  // PostgreSQL, each test file) about a quarter of a second.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  const pg = new PGlite(dataDir);
  await pg.waitReady;
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    bossDb: {
      // pg-boss sends its schema as one string of many statements without parameters;
      // PGlite runs those only through exec. Anything with parameters goes through query.
      async executeSql(text, values) {
        if (!values || values.length === 0) {
          const results = await pg.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
        const res = await pg.query(text, values);
        return { rows: res.rows };
      },
    },
    async listen(channel, onPayload) {
      return pg.listen(channel, onPayload);
    },
    close: () => pg.close(),
  };
}

/** Applies the committed SQL migrations, on a single connection for postgres. */
export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.kind === "postgres") {
    const one = postgres(handle.url!, {
      max: 1,
      connect_timeout: handle.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
      onnotice: () => {},
    });
    try {
      await migratePostgres(drizzlePostgres(one), { migrationsFolder });
    } finally {
      await one.end({ timeout: 5 });
    }
  } else {
    const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
    await migratePglite(handle.db as never, { migrationsFolder });
  }
}

/** Rows of a raw `db.execute(sql…)`, whichever driver answered. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
