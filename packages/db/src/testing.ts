// Integration tests run on the real PostgreSQL server: each test file gets a database of its own,
// so files run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, migrateDb, type DbHandle } from "./client";

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDb extends DbHandle {
  name: string;
  url: string;
  /** Closes the handle and drops the database. */
  drop(): Promise<void>;
}

export async function createTestDb(opts: { max?: number } = {}): Promise<TestDb> {
  const name = `lf_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = withDatabase(TEST_SERVER_URL, name);
  const handle = await createDb({ databaseUrl: url, max: opts.max ?? 10 });
  await migrateDb(handle);
  return {
    ...handle,
    name,
    url,
    async drop() {
      await handle.close();
      const a = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

/** Is a PostgreSQL server answering at the test URL? */
export async function postgresAnswers(url = TEST_SERVER_URL): Promise<boolean> {
  const c = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await c`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await c.end({ timeout: 1 });
  }
}
