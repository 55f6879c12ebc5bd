// What the typed decorator signatures (ADR 0019) cost the compiler: `tsc --noEmit --extendedDiagnostics`
// on the generated typed project, TypeScript 6 and TypeScript 7, with the real signatures ("typed")
// and with plain ones ("plain"). Both variants compile the same sources; the plain one maps
// `@isolation/runtime` (tsconfig `paths`) to a wrapper module that re-exports the built runtime and
// redeclares the six decorators with the signatures they had before: `options` objects in, `void` out.
// So the runtime's declarations load in both and only the checks differ. Each sample is a fresh
// process (TypeScript 7 with its default parallel checkers, as users run it); variants alternate;
// medians of the compiler's own "Check time" are compared. Instantiation counts are deterministic
// and shown beside them: on a busy machine they say more about a change than a few samples of time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateTypedProject } from './generate.js';
import { COMPILER_OPTIONS } from './tspc.js';

const COMPILERS = {
  'tsc 6': 'node_modules/typescript/bin/tsc',
  'tsc 7': 'node_modules/typescript-7/bin/tsc',
};

const PLAIN_RUNTIME = `// The decorators with plain signatures, for the benchmark's baseline; everything else is the real runtime.
export * from '{{runtime}}';
type ClassDecorator = (target: Function, context?: ClassDecoratorContext) => void;
interface MethodDecorator {
  (method: Function, context: ClassMethodDecoratorContext): void;
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): void;
}
type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export declare function Entity(options: { readonly table: string; readonly pk: string; readonly sk?: string }): ClassDecorator;
export declare function CapsuleIsolated(): ClassDecorator;
export declare function TenantScoped(): ClassDecorator;
export declare function PlatformScoped(options: { readonly reason: string }): ClassDecorator;
export declare function Endpoint(options: {
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams?: readonly string[];
  readonly queryParams?: readonly string[];
  readonly body?: string;
  readonly permission?: string;
}): MethodDecorator;
export declare function DomainEvent(options: { readonly type: string; readonly scope?: 'capsule' | 'tenant' | 'platform' }): ClassDecorator;
`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fastest = (values) => Math.min(...values);

function writeProject(root, dir) {
  const compilerOptions = { ...COMPILER_OPTIONS, noEmit: true, sourceMap: false };
  const tsconfig = (extra) => `${JSON.stringify({ compilerOptions: { ...compilerOptions, ...extra }, include: ['src'] }, null, 2)}\n`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'types-bench', private: true, type: 'module' }, null, 2)}\n`);
  mkdirSync(join(dir, 'plain'), { recursive: true });
  const runtime = relative(join(dir, 'plain'), join(root, 'packages/runtime/dist/index.js')).split('\\').join('/');
  writeFileSync(join(dir, 'plain/runtime.d.ts'), PLAIN_RUNTIME.replace('{{runtime}}', runtime));
  writeFileSync(join(dir, 'tsconfig.typed.json'), tsconfig({}));
  writeFileSync(join(dir, 'tsconfig.plain.json'), tsconfig({ paths: { '@isolation/runtime': ['./plain/runtime.d.ts'] } }));
}

/** Check time (ms) and instantiations, as the compiler reports them. */
function sample(root, dir, compiler, variant) {
  const result = spawnSync(process.execPath, [join(root, COMPILERS[compiler]), '-p', `tsconfig.${variant}.json`, '--extendedDiagnostics'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.error !== undefined) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || /error TS\d+/.test(output)) throw new Error(`${compiler} -p tsconfig.${variant}.json exited ${result.status ?? result.signal}:\n${output}`);
  const number = (label) => {
    const match = new RegExp(`^${label}:\\s+([\\d.,]+)(s|ms)?\\s*$`, 'm').exec(output);
    if (match === null) throw new Error(`${compiler} printed no "${label}":\n${output}`);
    const value = Number(match[1].replaceAll(',', ''));
    return match[2] === 's' ? value * 1000 : value;
  };
  return { checkMs: number('Check time'), instantiations: number('Instantiations') };
}

export function typesBenchmarks({ root, files, runs }) {
  const dir = join(root, 'bench/generated/types');
  const kinds = generateTypedProject(dir, { files });
  writeProject(root, dir);
  const cases = Object.keys(COMPILERS).flatMap((compiler) => ['plain', 'typed'].map((variant) => ({ compiler, variant })));
  const samples = new Map(cases.map((item) => [`${item.compiler} ${item.variant}`, []]));
  for (const item of cases) sample(root, dir, item.compiler, item.variant); // warm the file system cache; every variant compiles clean
  for (let run = 0; run < runs; run += 1) {
    for (const item of run % 2 === 0 ? cases : [...cases].reverse()) samples.get(`${item.compiler} ${item.variant}`).push(sample(root, dir, item.compiler, item.variant));
  }
  const project = `${files} files: ${kinds.entity} × 2 entities, ${kinds.routes} × 3 endpoints, ${kinds.plain} plain`;
  return Object.keys(COMPILERS).flatMap((compiler) => {
    const typed = samples.get(`${compiler} typed`);
    const plain = samples.get(`${compiler} plain`);
    const checks = (list) => list.map((item) => item.checkMs);
    // The count is deterministic: every sample reports the same.
    const instantiations = (list) => list[0].instantiations;
    return [
      {
        name: `${compiler} --noEmit check time, typed decorator signatures vs plain (${project})`,
        oursMs: median(checks(typed)),
        baselineMs: median(checks(plain)),
        oursFastestMs: fastest(checks(typed)),
        baselineFastestMs: fastest(checks(plain)),
        goal: 1.1,
        samples: { baseline: checks(plain), ours: checks(typed) },
      },
      {
        kind: 'metric',
        name: `${compiler} instantiations, typed vs plain (${instantiations(typed).toLocaleString('en-US')} vs ${instantiations(plain).toLocaleString('en-US')})`,
        value: instantiations(typed) / instantiations(plain),
        unit: '×',
        goal: null,
      },
    ];
  });
}
