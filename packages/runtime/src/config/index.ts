/**
 * `@isolation/runtime/config`: layered configuration (schema defaults, environment, platform,
 * tenant and capsule overrides) with validation on every write and a bounded, tenant-keyed cache.
 */
export { defineSchema, field, envVariableName, type FieldType, type FieldDescriptor, type AnyFieldDescriptor, type SectionSchema, type ConfigSchema, type SectionValues, type SectionOverride, type ValueOf } from './schema.js';
export { ConfigValidationError, ConfigEnvError, ConfigStoreError } from './errors.js';
export { memoryConfigStore, levelText, type ConfigStore, type ConfigLevel, type ValidLevel } from './store.js';
export { dynamoConfigStore, configOverrideKey, ConfigOverride, type DynamoConfigStoreOptions } from './dynamo-store.js';
export { createConfigService, type ConfigService, type ConfigServiceOptions, type ConfigCacheOptions, type ConfigScope, type ConfigSource, type Resolved } from './service.js';
