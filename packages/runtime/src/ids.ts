// Ids live in @isolation/core, shared with the build-time tools; the runtime re-exports them.
export { KEY_DELIMITER, InvalidIdError, tenantId, capsuleId, isTenantId, isCapsuleId, type TenantId, type CapsuleId } from '@isolation/core';
