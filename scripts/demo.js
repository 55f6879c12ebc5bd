// The demo: lint both example projects with our plugin, build them with tspc and our transformer,
// and print what each finds. Exits non-zero when the clean project has findings or either tool
// misses a planted mistake.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { runScenario } from './demo-scenario.js';

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

/** `tspc -p examples/<example>`: our diagnostics as findings (TypeScript's own errors are left out). */
function build(example) {
  const cwd = join(root, 'examples', example);
  const run = spawnSync(process.execPath, [join(root, 'node_modules/ts-patch/bin/tspc.js'), '-p', '.', '--pretty', 'false'], { cwd, encoding: 'utf8' });
  const pattern = /^(\S+)\((\d+),\d+\): (?:error|warning) (TS910\d\d): \[(@isolation\/[a-z-]+)\] (.*)$/gm;
  return { status: run.status, findings: [...run.stdout.matchAll(pattern)].map((match) => ({ file: match[1], line: Number(match[2]), code: match[3], ruleId: match[4], message: match[5] })) };
}

const crmBuild = build('crm');
const violationsBuild = build('violations');
const built = new Set(violationsBuild.findings.map(key));
const missedByBuild = expected.filter((finding) => !built.has(key(finding)));
console.log('\nThe same projects built with tspc and @isolation/ts-transformer-entities\n');
console.log(`examples/crm: exit ${crmBuild.status}, ${crmBuild.findings.length === 0 ? 'clean' : `${crmBuild.findings.length} unexpected diagnostic(s)`}`);
console.log(`examples/violations: exit ${violationsBuild.status}, ${violationsBuild.findings.length} isolation diagnostic(s)`);
for (const finding of violationsBuild.findings) console.log(`    ${finding.file}:${finding.line}  ${finding.code}  ${finding.ruleId}`);

console.log('\nThe CRM at run time: dynalite (in-process DynamoDB), two tenants × two capsules\n');
const scenario = await runScenario(root, (line) => console.log(line));

const ok =
  crm.length === 0 &&
  missed.length === 0 &&
  crmBuild.status === 0 &&
  crmBuild.findings.length === 0 &&
  missedByBuild.length === 0 &&
  scenario.refused === 2 &&
  scenario.servicesRefused === 2 &&
  scenario.assumeRoleCalls === scenario.roles &&
  scenario.auditFlagged;
console.log(
  ok
    ? '\nAs expected: the clean project passes, every planted mistake is caught, cross-scope reads (DynamoDB, S3) and queue sends (SQS) are refused, and operator credentials are shared.'
    : `\nUnexpected: ${missed.length + missedByBuild.length} planted mistake(s) not reported, ${scenario.refused} of 2 cross-scope reads refused, ${scenario.servicesRefused} of 2 cross-scope S3 and SQS calls refused, ${scenario.assumeRoleCalls} AssumeRole calls for ${scenario.roles} roles.`,
);
for (const finding of missed) console.log(`  missed by eslint ${key(finding)}`);
for (const finding of missedByBuild) console.log(`  missed by tspc ${key(finding)}`);
process.exitCode = ok ? 0 : 1;
