// The demo: lint both example projects with our plugin and print what it finds.
// Exits non-zero when the clean project has findings or the violations project misses one.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function lint(example) {
  const cwd = join(root, 'examples', example);
  const results = await new ESLint({ cwd }).lintFiles(['.']);
  return results.flatMap((result) =>
    result.messages.map((message) => ({ file: relative(cwd, result.filePath), line: message.line, ruleId: message.ruleId, message: message.message })),
  );
}

const crm = await lint('crm');
const violations = await lint('violations');
const expected = JSON.parse(readFileSync(join(root, 'examples/violations/expected.json'), 'utf8'));
const key = (finding) => `${finding.file}:${finding.line} ${finding.ruleId}`;
const found = new Set(violations.map(key));
const missed = expected.filter((finding) => !found.has(key(finding)));

console.log('isolation demo: the ESLint plugin on two projects\n');
console.log(`examples/crm (a multi-tenant CRM, strict config): ${crm.length === 0 ? 'clean' : `${crm.length} unexpected finding(s)`}`);
for (const finding of crm) console.log(`  ${finding.file}:${finding.line}  ${finding.ruleId}  ${finding.message}`);

console.log(`\nexamples/violations (the mistakes the checks exist for): ${violations.length} finding(s)`);
const byRule = Map.groupBy(violations, (finding) => finding.ruleId);
for (const [ruleId, findings] of byRule) {
  console.log(`\n  ${ruleId} (${findings.length})`);
  for (const finding of findings) console.log(`    ${finding.file}:${finding.line}  ${finding.message}`);
}

const ok = crm.length === 0 && missed.length === 0;
console.log(ok ? '\nAs expected: the clean project passes, every planted mistake is caught.' : `\nUnexpected: ${missed.length} planted mistake(s) not reported.`);
for (const finding of missed) console.log(`  missed ${key(finding)}`);
process.exitCode = ok ? 0 : 1;
