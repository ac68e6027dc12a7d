// Prints one closing line for the whole suite: "tests: N passed, N failed[, N skipped]", after the
// names of the failed tests (CI shows only the end of the output, so they must be here).
import { existsSync, readFileSync } from "node:fs";

const failures = [];
const firstLine = (m) =>
  String(m ?? "")
    .split("\n")
    .find((l) => l.trim()) ?? "";
let passed = 0,
  failed = 0,
  skipped = 0;
// Arguments: vitest JSON reports (one or more), then the Playwright JSON report, last.
const files = process.argv.slice(2);
const pwFile = files.pop();
for (const vitestFile of files) {
  if (vitestFile && existsSync(vitestFile)) {
    const v = JSON.parse(readFileSync(vitestFile, "utf8"));
    passed += v.numPassedTests ?? 0;
    failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
    skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    for (const file of v.testResults ?? []) {
      const failedTests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
      for (const t of failedTests)
        failures.push(`vitest ${file.name}: ${t.fullName}: ${firstLine(t.failureMessages?.[0]).slice(0, 300)}`);
      if (file.status === "failed" && !failedTests.length)
        failures.push(`vitest ${file.name}: ${firstLine(file.message).slice(0, 300)}`);
    }
  } else failed += 1;
}
if (pwFile && existsSync(pwFile)) {
  const report = JSON.parse(readFileSync(pwFile, "utf8"));
  const s = report.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  // A run that could not start (web server, config) has errors and no failed tests: count it.
  failed += (s.unexpected ?? 0) + (s.unexpected ? 0 : (report.errors?.length ?? 0));
  skipped += s.skipped ?? 0;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === "unexpected")
          failures.push(
            `playwright [${t.projectName}] ${[...titles, spec.title].join(" › ")}: ${firstLine(t.results?.at(-1)?.error?.message).slice(0, 300)}`,
          );
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
} else failed += 1;
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
