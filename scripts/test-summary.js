// Prints jest's result as one plain closing line ("N passed, N failed, N skipped") plus which
// engine suites ran, so a reader (or CI) sees at a glance that PostgreSQL and MariaDB were used.
const fs = require('node:fs');
const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const titles = r.testResults.flatMap((f) => f.assertionResults.map((a) => a.ancestorTitles.join(' ')));
for (const engine of ['sqlite', 'postgresql', 'mysql']) {
  const n = titles.filter((t) => t.includes(` on ${engine}`)).length;
  process.stdout.write(`engine ${engine}: ${n} tests\n`);
}
process.stdout.write(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped\n`);
