// The do-not-call registry's import: numbers stream through COPY FROM STDIN into a temporary
// table, and one INSERT … ON CONFLICT moves the new ones into dnc_numbers (a million in seconds;
// row-by-row inserts would take minutes). The embedded database (PGlite) has no COPY from a
// stream: there the numbers go in batches of unnest'ed arrays.
import { sql } from "drizzle-orm";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { rowsOf, type Db } from "../client";

interface PgClient {
  begin<T>(fn: (tx: PgTx) => Promise<T>): Promise<T>;
}
interface PgTx {
  (
    strings: TemplateStringsArray,
    ...values: unknown[]
  ): Promise<{ count: number }[] & { count: number }> & {
    writable(): Promise<NodeJS.WritableStream>;
  };
  unsafe(text: string): Promise<{ count: number }[] & { count: number }>;
}

/**
 * Adds the numbers (chunks of "5551234567\n" lines, already validated) to the registry; returns
 * how many were new. One transaction: a failed import adds nothing.
 */
export async function copyDncNumbers(db: Db, chunks: AsyncIterable<string>): Promise<number> {
  const client = (db as unknown as { $client: unknown }).$client as Partial<PgClient>;
  if (typeof client.begin === "function") {
    return client.begin(async (tx) => {
      await tx.unsafe("create temp table dnc_stage (number bigint) on commit drop");
      const target = await tx`copy dnc_stage (number) from stdin`.writable();
      await pipeline(Readable.from(chunks), target);
      const r = await tx.unsafe(
        "insert into dnc_numbers (number) select distinct number from dnc_stage on conflict do nothing",
      );
      return r.count;
    });
  }
  return db.transaction(async (tx) => {
    let added = 0;
    for await (const chunk of chunks) {
      const list = chunk.split("\n").filter((x) => x !== "");
      if (list.length === 0) continue;
      const res = await tx.execute(sql`
        insert into dnc_numbers (number)
        select distinct n from unnest(${`{${list.join(",")}}`}::bigint[]) as n
        on conflict do nothing returning number`);
      added += rowsOf(res).length;
    }
    return added;
  });
}
