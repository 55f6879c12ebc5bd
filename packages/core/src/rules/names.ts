/** The names every extractor recognises: our module, its decorators and its id brands. */
import type { ScopeBrand, ScopeKind } from './model.js';

export const RUNTIME_MODULE = '@isolation/runtime';
export const DECORATOR_NAMES = ['Entity', 'CapsuleIsolated', 'TenantScoped', 'PlatformScoped', 'Endpoint', 'DomainEvent'] as const;
export type DecoratorName = (typeof DECORATOR_NAMES)[number];
export const SCOPE_BRANDS: readonly ScopeBrand[] = ['TenantId', 'CapsuleId'];
/** The property our branded id types carry (type-level only); type-aware extractors look for it. */
export const BRAND_PROPERTY = '__isolationBrand';
export const MARKER_SCOPES: Readonly<Record<'CapsuleIsolated' | 'TenantScoped' | 'PlatformScoped', ScopeKind>> = {
  CapsuleIsolated: 'capsule',
  TenantScoped: 'tenant',
  PlatformScoped: 'platform',
};

export function isDecoratorName(name: string): name is DecoratorName {
  return (DECORATOR_NAMES as readonly string[]).includes(name);
}

export function isScopeBrand(name: string): name is ScopeBrand {
  return (SCOPE_BRANDS as readonly string[]).includes(name);
}
