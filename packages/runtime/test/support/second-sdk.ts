/**
 * A second copy of `@aws-sdk/client-dynamodb`, as npm and pnpm leave in real dependency trees
 * when two packages want different versions: the installed package copied into a folder of its
 * own (under `node_modules/.cache`, so its own dependencies resolve to the installed ones) and
 * loaded from there. Its classes are not ours: `instanceof DynamoDBClient` is false for its clients.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type ClientDynamoDBModule = typeof import('@aws-sdk/client-dynamodb');

export interface SecondSdk {
  readonly module: ClientDynamoDBModule;
  /** Where the copy lives. */
  readonly folder: string;
  remove(): void;
}

export function loadSecondDynamoDBSdk(): SecondSdk {
  const installed = dirname(require.resolve('@aws-sdk/client-dynamodb/package.json'));
  const cache = join(installed, '..', '..', '.cache');
  mkdirSync(cache, { recursive: true });
  const folder = mkdtempSync(join(cache, 'isolation-second-sdk-'));
  const copy = join(folder, 'node_modules', '@aws-sdk', 'client-dynamodb');
  mkdirSync(copy, { recursive: true });
  cpSync(join(installed, 'package.json'), join(copy, 'package.json'));
  cpSync(join(installed, 'dist-cjs'), join(copy, 'dist-cjs'), { recursive: true });
  const module = require(copy) as ClientDynamoDBModule;
  return { module, folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
