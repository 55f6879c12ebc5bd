#!/usr/bin/env node
// Committed, so npm links the bin when it installs the workspace, before dist/ is built.
import { existsSync } from 'fs';
import { fileURLToPath } from 'url';

const cli = new URL('../dist/events/audit-cli.js', import.meta.url);
if (existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(`isolation-audit: ${fileURLToPath(cli)} is missing; run the package build first (npm run build).\n`);
  process.exitCode = 2;
}
