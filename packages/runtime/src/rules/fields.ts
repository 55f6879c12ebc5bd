// The scope field names live in @isolation/core's rule core.
export { SCOPE_FIELD_NAMES } from '@isolation/core';
