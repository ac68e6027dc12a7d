// Prints one closing line for the whole suite: "tests: N passed, N failed[, N skipped]".
import { existsSync, readFileSync } from "node:fs";

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
  } else failed += 1;
}
if (pwFile && existsSync(pwFile)) {
  const report = JSON.parse(readFileSync(pwFile, "utf8"));
  const s = report.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  // A run that could not start (web server, config) has errors and no failed tests: count it.
  failed += (s.unexpected ?? 0) + (s.unexpected ? 0 : (report.errors?.length ?? 0));
  skipped += s.skipped ?? 0;
} else failed += 1;
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
