import { Entity, PlatformScoped, type TenantId } from '@isolation/runtime';

@Entity({ table: 'platform_config', pk: 'TENANT#{id}' })
@PlatformScoped({ reason: 'the tenant registry is platform-wide' })
export class Tenant {
  id!: TenantId;
  displayName!: string;
}

@Entity({ table: 'platform_config', pk: 'CONFIG#{section}', sk: 'LEVEL#platform' })
@PlatformScoped({ reason: 'platform defaults apply to every tenant before overrides' })
export class PlatformConfig {
  section!: string;
  values!: Record<string, unknown>;
}
