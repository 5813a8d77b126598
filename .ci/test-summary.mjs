// Usage: node .ci/test-summary.mjs <label> <jest --json output file>
// Prints one line for a Node line's `npm test`: suites, tests passed/failed/skipped, time, and
// which line-specific tests were skipped (their names start with `[needs <feature>]`).
import { existsSync, readFileSync } from 'node:fs';

const [label, file] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log(`${label}: FAIL no test results (the run did not finish)`);
  process.exit(0);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
const skippedNeeds = new Map();
for (const suite of results.testResults) {
  for (const test of suite.assertionResults) {
    const needs = /^\[needs ([^\]]+)\]/.exec(test.title);
    if (test.status === 'pending' && needs)
      skippedNeeds.set(needs[1], (skippedNeeds.get(needs[1]) ?? 0) + 1);
  }
}
const ok = results.success && results.numFailedTests === 0 && results.numFailedTestSuites === 0;
const seconds = ((Date.now() - results.startTime) / 1000).toFixed(0);
const skipped = [...skippedNeeds]
  .map(([feature, count]) => `${count} needing ${feature}`)
  .join(', ');
console.log(
  `${label}: ${ok ? 'pass' : 'FAIL'} ${results.numTotalTestSuites} suites` +
    `${results.numFailedTestSuites ? ` (${results.numFailedTestSuites} failed)` : ''}, ` +
    `${results.numPassedTests} tests passed, ${results.numFailedTests} failed, ` +
    `${results.numPendingTests} skipped${skipped ? ` (${skipped})` : ''}, ${seconds} s`,
);
