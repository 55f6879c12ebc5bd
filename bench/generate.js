// Writes a generated multi-tenant project: N capsule entities and N endpoints, ten of each per file.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PER_FILE = 10;

function entity(name) {
  return `@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#${name.toUpperCase()}#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class ${name} {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
  name?: string;
  describe(): string {
    return \`\${this.id}:\${this.version}\`;
  }
}
`;
}

function routes(name) {
  return `export class ${name}Routes {
  @Endpoint({ method: 'GET', path: '/accounts/{accountId}/items/{itemId}', pathParams: ['accountId', 'itemId'], queryParams: ['query'] })
  get(accountId: string, itemId: string, query: string) {
    return { accountId, itemId, query, doubled: [1, 2, 3].map((x) => x * 2) };
  }
}
`;
}

/** Returns the number of files written into `dir`. */
export function generateProject(dir, { entities, endpoints }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = Math.ceil(Math.max(entities, endpoints) / PER_FILE);
  for (let file = 0; file < files; file += 1) {
    const parts = ["import { CapsuleIsolated, Endpoint, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';\n"];
    for (let i = 0; i < PER_FILE; i += 1) {
      const index = file * PER_FILE + i;
      if (index < entities) parts.push(entity(`Entity${index}`));
      if (index < endpoints) parts.push(routes(`Resource${index}`));
    }
    writeFileSync(join(dir, `module${file}.ts`), parts.join('\n'));
  }
  return files;
}
