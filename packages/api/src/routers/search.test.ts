// search.leads against real PostgreSQL with two tenants of every kind: each caller finds only what
// its own lead pages show, and never by a contact detail it has not bought or unlocked.
import { buyers, contactUnlocks, leadAssignments, leads, transactions, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { makeDj, makeLead } from "../marketplace/testing";
import { callerAs, makeOrgUser, testServices } from "../testing";

let t: TestDb;
let db: Db;
let admin: SessionUser,
  sellerA: SessionUser,
  sellerB: SessionUser,
  conA: SessionUser,
  conB: SessionUser,
  net: SessionUser,
  dj1: SessionUser,
  dj2: SessionUser;
let a1: string, b1: string, m1: string;

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  const users = await Promise.all(
    (["admin", "seller", "seller", "contractor", "contractor", "network", "dj", "dj"] as const).map((r) =>
      makeOrgUser(db, r),
    ),
  );
  [admin, sellerA, sellerB, conA, conB, net, dj1, dj2] = users as [
    SessionUser,
    SessionUser,
    SessionUser,
    SessionUser,
    SessionUser,
    SessionUser,
    SessionUser,
    SessionUser,
  ];
  const [bA, bB] = await db
    .insert(buyers)
    .values([
      { orgId: conA.orgId, name: "A Roofing", type: "CONTRACTOR" },
      { orgId: conB.orgId, name: "B Roofing", type: "CONTRACTOR" },
    ])
    .returning();
  const at = (d: string) => new Date(`2026-03-${d}T12:00:00Z`);
  const [la, lb] = await db
    .insert(leads)
    .values([
      {
        sellerOrgId: sellerA.orgId,
        externalId: "EXT-A1",
        vertical: "roofing",
        zip: "38103",
        status: "SOLD",
        receivedAt: at("02"),
        contact: { firstName: "Ann", lastName: "Alpha", phone: "901-555-0101", email: "Ann@A.test" },
        phoneNormalized: "9015550101",
        emailNormalized: "ann@a.test",
      },
      {
        sellerOrgId: sellerB.orgId,
        externalId: "EXT-B1",
        vertical: "roofing",
        zip: "38104",
        status: "UNSOLD",
        receivedAt: at("05"),
        contact: { firstName: "Bob", lastName: "Beta", phone: "9015550202", email: "bob@b.test" },
        phoneNormalized: "9015550202",
        emailNormalized: "bob@b.test",
      },
    ])
    .returning();
  a1 = la!.id;
  b1 = lb!.id;
  // conA bought A1; conB was pinged for A1 and B1 and bought neither.
  await db.insert(transactions).values([
    { leadId: a1, buyerId: bA!.id, kind: "PING", isWinner: true, bidCents: 4000 },
    { leadId: a1, buyerId: bB!.id, kind: "PING", isWinner: false, bidCents: 3000 },
    { leadId: b1, buyerId: bB!.id, kind: "PING", isWinner: false, bidCents: 2000 },
  ]);
  const [d1, d2] = [await makeDj(db, { orgId: dj1.orgId }), await makeDj(db, { orgId: dj2.orgId })];
  const m = await makeLead(db, {
    contact: { name: "Dana Delta", email: "dana@m.test", phone: "(615) 555-0303" },
    createdAt: at("03"),
  });
  m1 = m.id;
  const offered = at("03");
  const ends = new Date(offered.getTime() + 3_600_000);
  await db.insert(leadAssignments).values([
    { leadId: m1, djId: d1.id, phase: "exclusive", phaseSeq: 1, offeredAt: offered, windowEndsAt: ends },
    { leadId: m1, djId: d2.id, phase: "exclusive", phaseSeq: 1, offeredAt: offered, windowEndsAt: ends },
  ]);
  // dj1 paid to see the couple; dj2 did not.
  await db.insert(contactUnlocks).values({ djId: d1.id, leadId: m1, unlockedAt: offered });
});
afterAll(() => t?.drop());

const search = (u: SessionUser, input: Parameters<ReturnType<typeof callerAs>["search"]["leads"]>[0]) =>
  callerAs(testServices(db), u).search.leads(input);
const ids = async (u: SessionUser, text: string) => (await search(u, { text })).items.map((h) => h.id);

describe("search.leads", () => {
  it("finds any lead for an admin by phone, email, name, external id and id", async () => {
    expect(await ids(admin, "(901) 555-0101")).toEqual([a1]);
    expect(await ids(admin, "+1 901 555 0101")).toEqual([a1]);
    expect(await ids(admin, "ANN@a.test")).toEqual([a1]);
    expect(await ids(admin, "bob beta")).toEqual([b1]);
    expect(await ids(admin, "EXT-B1")).toEqual([b1]);
    expect(await ids(admin, m1)).toEqual([m1]);
    expect(await ids(admin, "555-0303")).toEqual([m1]);
    expect(await ids(admin, "dana@m.test")).toEqual([m1]);
    expect((await search(admin, {})).items.map((h) => h.id)).toEqual([b1, m1, a1]);
  });

  it("gives a seller its own leads only, by every field, and nothing of another seller's", async () => {
    for (const q of ["9015550101", "ann@a.test", "Alpha", "EXT-A1", a1]) expect(await ids(sellerA, q), q).toEqual([a1]);
    for (const q of ["9015550202", "bob@b.test", "Beta", "EXT-B1", b1, m1, "dana"])
      expect(await ids(sellerA, q), q).toEqual([]);
    expect(await ids(sellerB, "EXT-A1")).toEqual([]);
    expect((await search(sellerB, {})).items.map((h) => h.id)).toEqual([b1]);
  });

  it("lets a buyer find by contact only the leads it bought, never by the seller's id", async () => {
    expect(await ids(conA, "9015550101")).toEqual([a1]);
    expect((await search(conA, { text: "ann" })).items[0]).toMatchObject({
      id: a1,
      name: "Ann Alpha",
      externalId: null,
    });
    expect(await ids(conA, "EXT-A1")).toEqual([]);
    expect(await ids(conA, b1)).toEqual([]);
    // conB was pinged for A1: it finds it by id, without the homeowner, and not by the homeowner.
    const pinged = await search(conB, { text: a1 });
    expect(pinged.items).toEqual([expect.objectContaining({ id: a1, name: null, externalId: null })]);
    for (const q of ["9015550101", "ann@a.test", "Ann", "EXT-A1"]) expect(await ids(conB, q), q).toEqual([]);
    expect((await search(net, {})).items).toEqual([]);
  });

  it("lets a DJ find its offered inquiries, by contact only after unlocking, and no auction lead", async () => {
    expect(await ids(dj1, "615 555 0303")).toEqual([m1]);
    expect((await search(dj1, { text: "dana" })).items[0]).toMatchObject({ kind: "market", name: "Dana Delta" });
    for (const q of ["615 555 0303", "dana@m.test", "Dana"]) expect(await ids(dj2, q), q).toEqual([]);
    expect((await search(dj2, { text: m1 })).items).toEqual([expect.objectContaining({ id: m1, name: null })]);
    expect(await ids(dj1, a1)).toEqual([]);
    expect((await search(dj1, {})).items.map((h) => h.id)).toEqual([m1]);
  });

  it("filters by status and date range, and pages with a cursor", async () => {
    expect((await search(admin, { status: "SOLD" })).items.map((h) => h.id)).toEqual([a1]);
    expect((await search(admin, { status: "pending" })).items.map((h) => h.id)).toEqual([m1]);
    const range = await search(admin, { from: new Date("2026-03-03T00:00:00Z"), to: new Date("2026-03-06T00:00:00Z") });
    expect(range.items.map((h) => h.id)).toEqual([b1, m1]);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await search(admin, { limit: 1, cursor });
      seen.push(...r.items.map((h) => h.id));
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    expect(seen).toEqual([b1, m1, a1]);
  });

  it("refuses a bad input naming the field", async () => {
    for (const [input, field] of [
      [{ status: "NOPE" }, "status"],
      [{ cursor: "x" }, "cursor"],
      [{ from: new Date("2026-03-05"), to: new Date("2026-03-01") }, "to"],
      [{ text: "x".repeat(201) }, "text"],
    ] as const) {
      const err = await search(admin, input as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, field).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe("BAD_REQUEST");
      expect(JSON.stringify((err as TRPCError).cause), field).toContain(field);
    }
  });
});
