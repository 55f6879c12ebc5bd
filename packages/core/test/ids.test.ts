import { describe, expect, it } from 'vitest';
import { capsuleId, InvalidIdError, isCapsuleId, isTenantId, tenantId } from '../src/ids.js';

describe('tenantId and capsuleId', () => {
  it.each(['acme', 'ACME_01', 'a-b', 'x'.repeat(64)])('accept the tenant id %s', (input) => {
    expect(tenantId(input)).toBe(input);
    expect(isTenantId(input)).toBe(true);
  });

  it.each(['DEVUS', 'prod', 'x'.repeat(32)])('accept the capsule id %s', (input) => {
    expect(capsuleId(input)).toBe(input);
    expect(isCapsuleId(input)).toBe(true);
  });

  it('refuse the key delimiter and say why', () => {
    expect(() => tenantId('acme#CAPSULE#prod')).toThrow(/"#".*key delimiter.*use only letters, digits, '_' and '-'/);
    expect(isTenantId('acme#CAPSULE#prod')).toBe(false);
  });

  it.each([
    ['', /1–64 characters, found 0/],
    ['x'.repeat(65), /1–64 characters, found 65/],
    ['acme corp', /found " "/],
    ['ümlaut', /found "ü"/],
  ])('refuse the tenant id %j', (input, message) => {
    expect(() => tenantId(input)).toThrow(InvalidIdError);
    expect(() => tenantId(input)).toThrow(message);
  });

  it('refuse capsule ids longer than 32 characters', () => {
    expect(() => capsuleId('x'.repeat(33))).toThrow(/CapsuleId .* expected 1–32 characters, found 33/);
    expect(isCapsuleId('x'.repeat(33))).toBe(false);
  });

  it('refuse values that are not strings, whatever the static types said', () => {
    expect(() => tenantId(42 as unknown as string)).toThrow(/of type number is invalid: expected a string/);
    expect(() => capsuleId(null as unknown as string)).toThrow(/of type null/);
  });
});
