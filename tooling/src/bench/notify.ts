// The DJ notification benchmark (issue 17, item 1): `npm run bench:notify`. Leads arrive at a
// steady rate, each offered to a DJ who has all three channels on; the real notification worker
// (pg-boss, as the server registers it) sends an SMS to a local fake of the voice provider's
// Messages API, a Web Push to a local push endpoint, and an email to the outbox. Latency = the
// moment the fake provider / push endpoint received the message (the email: handed to the outbox)
// − the moment the offer was written. Target: p99 ≤ 5 s.
// Needs the PostgreSQL server of the tests (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432).
import { generateVapidKeys, registerNotifyJobs, routeLead, type NotifySettings, type Services } from "@leadflow/api";
import { makeBrowserKeys, startFakeTwilio, startPushEndpoint, TEST_OUTBOUND } from "@leadflow/api/testing";
import {
  createBoss,
  djNotifications,
  djNotifySettings,
  djs,
  insertOrg,
  insertUser,
  marketLeads,
  pushSubscriptions,
  rowsOf,
} from "@leadflow/db";
import { sql } from "drizzle-orm";
import { createTestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { randomBytes } from "node:crypto";
import os from "node:os";
import pino from "pino";

const LEADS = Number(process.env.BENCH_NOTIFY_LEADS ?? 300);
const RATE = Number(process.env.BENCH_NOTIFY_RATE ?? 5); // leads a second
const SID = `AC${"b2".repeat(16)}`;
const TOKEN = "bench-twilio-auth-token-0123456789";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
};
const fmt = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "–");
const progress = (line: string) => process.stderr.write(`[bench:notify] ${line}\n`);

async function main() {
  progress("creating a fresh database …");
  const t = await createTestDb({ max: 12 });
  const twilio = await startFakeTwilio(SID, TOKEN);
  const push = await startPushEndpoint();
  const boss = createBoss(t);
  boss.on("error", (err) => progress(`queue error: ${String(err)}`));
  try {
    const notify: NotifySettings = {
      linkSecret: randomBytes(32).toString("hex"),
      linkTtlMinutes: 120,
      twilio: { accountSid: SID, authToken: TOKEN, from: "+19015550100", apiUrl: twilio.url },
      vapid: { ...generateVapidKeys(), subject: "mailto:bench@leadflow.test" },
    };
    await boss.start();
    const s: Services = {
      db: t.db,
      clock: systemClock,
      log: pino({ level: process.env.LOG_LEVEL ?? "silent" }),
      boss,
      publicUrl: "https://leads.example.test",
      notify,
      outbound: TEST_OUTBOUND,
    };
    await registerNotifyJobs(boss, s);

    progress(`${LEADS} DJs, each in a city of its own, with email, SMS and push on …`);
    const eventDate = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    const djOf = new Map<string, number>(); // dj id → index
    for (let i = 0; i < LEADS; i++) {
      const org = await insertOrg(t.db, { name: `Bench DJ ${i}`, kind: "dj" });
      const user = await insertUser(t.db, {
        orgId: org.id,
        email: `bench.dj.${i}@example.test`,
        name: `Bench DJ ${i}`,
        role: "dj",
        passwordHash: "scrypt$1$1$1$AA$AA",
      });
      const [dj] = await t.db
        .insert(djs)
        .values({
          orgId: org.id,
          name: `Bench DJ ${i}`,
          city: `Benchcity ${i}`,
          state: "TN",
          priceMinCents: 80_000,
          priceMaxCents: 200_000,
          routingScore: 80,
          contactEmail: `bench.dj.${i}@example.test`,
        })
        .returning();
      djOf.set(dj!.id, i);
      await t.db.insert(djNotifySettings).values({
        djId: dj!.id,
        userId: user.id,
        email: true,
        sms: true,
        smsTo: `+1901${String(5_000_000 + i).padStart(7, "0")}`,
        push: true,
      });
      const keys = makeBrowserKeys(`/push/${i}`);
      await t.db.insert(pushSubscriptions).values({
        userId: user.id,
        endpoint: `${push.url}/push/${i}`,
        p256dh: keys.p256dh,
        auth: keys.auth,
      });
    }
    const leadIds: string[] = [];
    for (let i = 0; i < LEADS; i++) {
      const [lead] = await t.db
        .insert(marketLeads)
        .values({
          contact: { name: "Bench Couple", email: "couple@example.test", phone: null },
          city: `Benchcity ${i}`,
          eventType: "wedding",
          eventDate,
          budgetMinCents: 100_000,
          budgetMaxCents: 150_000,
          comparisonTokenHash: randomBytes(32).toString("hex"),
        })
        .returning({ id: marketLeads.id });
      leadIds.push(lead!.id);
    }

    progress(`routing ${LEADS} leads at ${RATE} a second; each offer's messages go out through the queue …`);
    const started = Date.now();
    const routed: Promise<unknown>[] = [];
    const committed = new Map<string, number>(); // lead → when its offer's transaction committed
    for (let i = 0; i < LEADS; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      routed.push(routeLead(s, leadIds[i]!).then(() => committed.set(leadIds[i]!, Date.now())));
    }
    await Promise.all(routed);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && (twilio.state.sent.length < LEADS || push.state.received.length < LEADS)) {
      await new Promise((r) => setTimeout(r, 250));
    }
    // Wait for the email rows too (handed to the outbox).
    let rows = await t.db.select().from(djNotifications);
    while (Date.now() < deadline && rows.filter((r) => r.status === "sent").length < rows.length) {
      await new Promise((r) => setTimeout(r, 250));
      rows = await t.db.select().from(djNotifications);
    }
    const created = new Map(rows.map((r) => [`${r.djId}|${r.channel}`, r.createdAt.getTime()]));
    const byIndex = new Map([...djOf].map(([id, i]) => [i, id]));
    const sms = twilio.state.sent.map((m) => {
      const i = Number(m.to.slice(-7)) - 5_000_000;
      return m.at - created.get(`${byIndex.get(i)}|sms`)!;
    });
    const pushes = push.state.received.map((m) => {
      const i = Number(m.path.split("/").pop());
      return m.at - created.get(`${byIndex.get(i)}|push`)!;
    });
    const emails = rows
      .filter((r) => r.channel === "email" && r.sentAt)
      .map((r) => r.sentAt!.getTime() - r.createdAt.getTime());
    const all = [...sms, ...pushes, ...emails];
    const commits = rows
      .filter((r) => r.channel === "sms")
      .map((r) => committed.get(r.leadId)! - r.createdAt.getTime());
    // Where the time goes: waiting in the queue (job created → a worker fetched it) and the attempt.
    const jobs = rowsOf<{ waited: number; ran: number }>(
      await t.db.execute(sql`
        select extract(epoch from (started_on - created_on)) * 1000 as waited,
               extract(epoch from (completed_on - started_on)) * 1000 as ran
        from pgboss.job where name = 'dj-notify' and completed_on is not null`),
    );
    const line = (name: string, xs: number[]) =>
      `| ${name} | ${xs.length} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} | ${fmt(pct(xs, 99))} | ${fmt(Math.max(...xs))} |`;
    const out = [
      `## Offer → message on each channel (${LEADS} leads at ${RATE} a second, 3 channels each)`,
      "",
      "| channel | messages | p50 | p95 | p99 | max |",
      "|---|---|---|---|---|---|",
      line("SMS (fake Messages API on loopback)", sms),
      line("Web Push (encrypted, VAPID, to a loopback endpoint)", pushes),
      line("email (handed to the outbox)", emails),
      line("all", all),
      line("(offer written → its transaction committed)", commits),
      line(
        "(job created → fetched by a worker)",
        jobs.map((j) => Number(j.waited)),
      ),
      line(
        "(job fetched → attempt done, batch of up to 5)",
        jobs.map((j) => Number(j.ran)),
      ),
      "",
      `Latency = received by the provider (email: written to the outbox) − offer written. Target: p99 ≤ 5 s. Sent ${all.length} of ${LEADS * 3}.`,
      "",
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, PostgreSQL on loopback; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}.`,
    ];
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await twilio.close();
    await push.close();
    await t.drop();
  }
}

await main();
process.exit(0);
