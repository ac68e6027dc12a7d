// Routing windows per city (issue 17 item 6): an operator gives one city short windows to try
// routing end to end; leads of other cities keep the global windows; bad input writes nothing.
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AppError } from "../errors";
import { routeLead, transitionToNextPhase } from "./routing";
import { loadCityWindows, saveCityWindows } from "./settings";
import { makeDj, makeLead, marketServices } from "./testing";
import { callerAs, makeOrgUser, testServices } from "../testing";

let t: TestDb;
let userId: string;
beforeAll(async () => {
  t = await createTestDb();
  userId = (await makeOrgUser(t.db, "admin")).id;
});
afterAll(async () => {
  await t?.drop();
});

const MIN = 60_000;

it("routes a city with its own windows and every other city with the global ones", async () => {
  const s = marketServices(t.db);
  await saveCityWindows(
    t.db,
    s.clock,
    { city: "Staging Town", windows: { exclusiveWindowMinutes: 1, tierExpansionWindowMinutes: 2 } },
    userId,
  );
  expect(await loadCityWindows(t.db)).toEqual({
    "staging town": { exclusiveWindowMinutes: 1, tierExpansionWindowMinutes: 2 },
  });
  for (const city of ["staging town", "Elsewhere"])
    for (let i = 0; i < 4; i++) await makeDj(t.db, { city, routingScore: 50 + i });
  const staged = await makeLead(t.db, { city: "staging town" });
  const other = await makeLead(t.db, { city: "Elsewhere" });
  const now = s.clock.now().getTime();
  expect((await routeLead(s, staged.id))!.dueAt.getTime()).toBe(now + 1 * MIN);
  expect((await routeLead(s, other.id))!.dueAt.getTime()).toBe(now + 15 * MIN);
  // The next phase uses the city's tier-expansion window; the broadcast window is the global one.
  s.clock.advance(1 * MIN);
  const next = await transitionToNextPhase(s, { leadId: staged.id, phase: "exclusive", seq: 1 });
  expect(next.next?.timer.phase).toBe("tier_expansion");
  expect(next.next!.dueAt.getTime()).toBe(now + 3 * MIN);

  // Removing the city's windows brings it back to the global ones.
  await saveCityWindows(t.db, s.clock, { city: " STAGING town", windows: null }, userId);
  expect(await loadCityWindows(t.db)).toEqual({});
});

it("refuses bad windows with the field named, and writes nothing", async () => {
  const s = marketServices(t.db);
  await saveCityWindows(t.db, s.clock, { city: "Kept", windows: { broadcastWindowMinutes: 5 } }, userId);
  const err = await saveCityWindows(
    t.db,
    s.clock,
    { city: "Bad", windows: { exclusiveWindowMinutes: 0, maxBroadcastDJs: 2 } },
    userId,
  ).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe("BAD_REQUEST");
  expect(Object.keys((err as AppError).fieldErrors ?? {}).sort()).toEqual([
    "Bad.exclusiveWindowMinutes",
    "Bad.maxBroadcastDJs",
  ]);
  expect(await loadCityWindows(t.db)).toEqual({ kept: { broadcastWindowMinutes: 5 } });
});

it("is an admin's procedure, with the city checked before anything is written", async () => {
  const admin = await makeOrgUser(t.db, "admin");
  const api = callerAs(testServices(t.db), admin);
  await expect(api.marketAdmin.setCityWindows({ city: "  ", windows: null })).rejects.toMatchObject({
    code: "BAD_REQUEST",
  });
  expect(await api.marketAdmin.setCityWindows({ city: "Trial", windows: { exclusiveWindowMinutes: 2 } })).toMatchObject(
    {
      trial: { exclusiveWindowMinutes: 2 },
    },
  );
  expect(await api.marketAdmin.cityWindows()).toMatchObject({ trial: { exclusiveWindowMinutes: 2 } });
  const dj = callerAs(testServices(t.db), await makeOrgUser(t.db, "dj"));
  await expect(dj.marketAdmin.cityWindows()).rejects.toMatchObject({ code: "FORBIDDEN" });
});
