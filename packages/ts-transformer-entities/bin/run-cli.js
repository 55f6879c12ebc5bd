// What both bin stubs do: check the Node.js version, then load the compiled CLI from dist/ and run
// it. Old syntax on purpose (see node-version.js): no `?.`, no `??`, no `node:` imports.
import { existsSync } from 'fs';
import { fileURLToPath } from 'url';
import { unsupportedNodeMessage } from './node-version.js';

/**
 * Runs `dist/cli/<name>.js` as `command` with the process's arguments. Exit code 2, with one line
 * on stderr, when this Node.js is not supported or the package has not been built.
 */
export function runCli(command, name) {
  const problem = unsupportedNodeMessage(command, process.versions.node);
  if (problem !== undefined) return fail(problem);
  const url = new URL(`../dist/cli/${name}.js`, import.meta.url);
  if (!existsSync(url)) return fail(`${command}: ${fileURLToPath(url)} is missing; run the package build first (npm run build).`);
  return import(url.href).then(function (cli) {
    process.exitCode = cli.main(process.argv.slice(2));
  });
}

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exitCode = 2;
}
