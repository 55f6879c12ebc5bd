/**
 * Branded tenant and capsule ids. The brand lives in a property type that never exists at run
 * time; type-aware checks recognise scope fields by it whatever the field is called.
 */
export const KEY_DELIMITER = '#';

export type TenantId = string & { readonly __isolationBrand: 'TenantId' };
export type CapsuleId = string & { readonly __isolationBrand: 'CapsuleId' };

const ID_CHARACTERS = /^[A-Za-z0-9_-]+$/;

/** Thrown by `tenantId()` and `capsuleId()` on input that is not a valid id. */
export class InvalidIdError extends Error {
  override readonly name = 'InvalidIdError';
  constructor(
    readonly kind: 'TenantId' | 'CapsuleId',
    readonly input: unknown,
    readonly reason: string,
  ) {
    super(`${kind} ${describeInput(input)} is invalid: ${reason}`);
  }
}

function describeInput(input: unknown): string {
  if (typeof input !== 'string') return `of type ${input === null ? 'null' : typeof input}`;
  return JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
}

function validateId(kind: 'TenantId' | 'CapsuleId', input: unknown, maxLength: number): string {
  if (typeof input !== 'string') {
    throw new InvalidIdError(kind, input, 'expected a string');
  }
  if (input.length === 0 || input.length > maxLength) {
    throw new InvalidIdError(kind, input, `expected 1–${maxLength} characters, found ${input.length}`);
  }
  if (!ID_CHARACTERS.test(input)) {
    const bad = [...input].find((ch) => !/[A-Za-z0-9_-]/.test(ch));
    const hint = bad === KEY_DELIMITER ? ` ('${KEY_DELIMITER}' is the key delimiter and would let one id reach into another's key space)` : '';
    throw new InvalidIdError(kind, input, `found ${JSON.stringify(bad)}${hint}; use only letters, digits, '_' and '-'`);
  }
  return input;
}

/** Validates and brands a tenant id: 1–64 characters of `[A-Za-z0-9_-]`. */
export function tenantId(input: string): TenantId {
  return validateId('TenantId', input, 64) as TenantId;
}

/** Validates and brands a capsule id (a capsule code such as `DEVUS`): 1–32 characters of `[A-Za-z0-9_-]`. */
export function capsuleId(input: string): CapsuleId {
  return validateId('CapsuleId', input, 32) as CapsuleId;
}

export function isTenantId(input: unknown): input is TenantId {
  return typeof input === 'string' && input.length >= 1 && input.length <= 64 && ID_CHARACTERS.test(input);
}

export function isCapsuleId(input: unknown): input is CapsuleId {
  return typeof input === 'string' && input.length >= 1 && input.length <= 32 && ID_CHARACTERS.test(input);
}
