/**
 * `scope.repo(Entity)`: a repository opens only in a scope of the entity's own kind. A capsule
 * entity's items belong to one capsule, a tenant entity's to one tenant, and a platform entity's to
 * no tenant; any other pairing would either lack the ids to fill in or reach past the scope's guard.
 */
import { scopeLabel } from '../aws/scope.js';
import { IsolationViolationError } from '../aws/violation.js';
import { entityShape, type EntityShape } from './entity-shape.js';
import { refusal } from './refusal.js';
import { ScopedRepository } from './repository.js';
import type { RepositoryScope, RepositorySettings } from './scope-binding.js';

const OPENERS = { capsule: 'aws.capsule(tenant, capsule)', tenant: 'aws.tenant(tenant)', platform: 'aws.platform()' } as const;

export function openRepository(scope: RepositoryScope, settings: RepositorySettings, entity: unknown): ScopedRepository {
  const refuse = refusal(settings.onViolation);
  const shape: EntityShape = entityShape(entity);
  const kind = scope.description.kind;
  if (kind !== shape.scope) {
    const marker = { capsule: '@CapsuleIsolated()', tenant: '@TenantScoped()', platform: '@PlatformScoped()' }[shape.scope];
    refuse(
      new IsolationViolationError(
        'repository-scope',
        scope.description,
        `repo(${shape.name})`,
        `${shape.name}, a ${shape.scope} entity (${marker}), opened in ${scopeLabel(scope.description)}`,
        kind === 'operator'
          ? `no repository in an operator scope: its clients work across accounts, not on one scope's items — open it from ${OPENERS[shape.scope]}`
          : `a ${shape.scope} scope: ${OPENERS[shape.scope]}.repo(${shape.name})`,
      ),
    );
  }
  return new ScopedRepository(shape, scope, settings, refuse);
}
