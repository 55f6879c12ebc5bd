/**
 * The IAM evaluator the session-policy tests rely on (test/support/iam-policy.ts): its wildcard
 * matcher and its condition operators, checked against IAM's documented behaviour and, for the
 * matcher, against a regular-expression reading of the same wildcards on generated input.
 */
import { describe, expect, it } from 'vitest';
import type { IamPolicyDocument } from '../src/aws/session-policy.js';
import { isAllowed, matchesWildcard } from './support/iam-policy.js';

describe('matchesWildcard', () => {
  it.each([
    ['arn:aws:s3:::uploads/tenants/acme/*', 'arn:aws:s3:::uploads/tenants/acme/a/b.txt', true],
    ['arn:aws:s3:::uploads/tenants/acme/*', 'arn:aws:s3:::uploads/tenants/acme/', true],
    ['arn:aws:s3:::uploads/tenants/acme/*', 'arn:aws:s3:::uploads/tenants/acmex/a', false],
    ['arn:aws:s3:::uploads/tenants/acme/*', 'arn:aws:s3:::uploads/tenants/acme', false],
    ['arn:aws:s3:::uploads/tenants/acme/*', 'xarn:aws:s3:::uploads/tenants/acme/a', false],
    ['secret:/t/*', 'secret:/t/db:with:colons-AbCdEf', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'abbc', false],
    ['a*c', 'a*bc', true],
    ['a*b*c', 'aXbYbZc', true],
    ['a*b*c', 'aXbYbZ', false],
    ['table/platform.data', 'table/platformXdata', false],
    ['table/(x)+', 'table/(x)+', true],
    ['table/(x)+', 'table/xx', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
  ] as const)('%s against %s: %s', (pattern, value, expected) => {
    expect(matchesWildcard(pattern, value)).toBe(expected);
  });

  it('is case-sensitive unless asked (IAM: resources are, actions are not)', () => {
    expect(matchesWildcard('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/a')).toBe(false);
    expect(matchesWildcard('s3:GetObject*', 's3:getobjecttagging', { ignoreCase: true })).toBe(true);
  });

  it('agrees with a regular-expression reading of the wildcards on 5,000 generated pairs', () => {
    let seed = 20_261_201;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const word = (alphabet: string, max: number): string => Array.from({ length: next(max + 1) }, () => alphabet[next(alphabet.length)]).join('');
    let matched = 0;
    for (let i = 0; i < 5000; i += 1) {
      const pattern = word('ab*?:/.', 7);
      const value = word('ab*?:/.', 9);
      const reference = new RegExp(`^${[...pattern].map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('')}$`);
      const expected = reference.test(value);
      if (expected) matched += 1;
      expect(matchesWildcard(pattern, value), `${pattern} against ${value}`).toBe(expected);
    }
    // The generated pairs exercise both outcomes.
    expect(matched).toBeGreaterThan(100);
    expect(matched).toBeLessThan(4900);
  });
});

describe('isAllowed', () => {
  const policy = (statement: IamPolicyDocument['Statement'][number]): IamPolicyDocument => ({ Version: '2012-10-17', Statement: [statement] });

  it('needs a statement whose action, resource and conditions all match', () => {
    const allow = policy({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ['arn:aws:sqs:eu-west-1:123456789012:jobs'] });
    expect(isAllowed(allow, { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:eu-west-1:123456789012:jobs' })).toBe(true);
    expect(isAllowed(allow, { action: 'SQS:sendmessage', resource: 'arn:aws:sqs:eu-west-1:123456789012:jobs' })).toBe(true);
    expect(isAllowed(allow, { action: 'sqs:PurgeQueue', resource: 'arn:aws:sqs:eu-west-1:123456789012:jobs' })).toBe(false);
    expect(isAllowed(allow, { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:eu-west-1:123456789012:jobs2' })).toBe(false);
  });

  it('lets an explicit Deny win over an Allow', () => {
    const document: IamPolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] },
        { Effect: 'Deny', Action: ['s3:DeleteObject'], Resource: ['*'] },
      ],
    };
    expect(isAllowed(document, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' })).toBe(true);
    expect(isAllowed(document, { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/k' })).toBe(false);
  });

  it('ForAllValues holds for a request without the key (why session policies add Null: false)', () => {
    const condition = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#acme#*'] } };
    const forAll = policy({ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: ['*'], Condition: condition });
    const withNull = policy({ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: ['*'], Condition: { ...condition, Null: { 'dynamodb:LeadingKeys': 'false' } } });
    const request = (keys?: readonly string[]) => ({ action: 'dynamodb:Query', resource: 't', ...(keys === undefined ? {} : { context: { 'dynamodb:LeadingKeys': keys } }) });
    expect(isAllowed(forAll, request())).toBe(true);
    expect(isAllowed(withNull, request())).toBe(false);
    expect(isAllowed(withNull, request(['TENANT#acme#1', 'TENANT#acme#2']))).toBe(true);
    expect(isAllowed(withNull, request(['TENANT#acme#1', 'TENANT#other#2']))).toBe(false);
    // Condition key names are case-insensitive.
    expect(isAllowed(withNull, { action: 'dynamodb:Query', resource: 't', context: { 'DynamoDB:LeadingKeys': ['TENANT#acme#1'] } })).toBe(true);
  });

  it('a single-valued StringLike is false when the request lacks the key; ForAnyValue needs one match', () => {
    const like = policy({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['*'], Condition: { StringLike: { 's3:prefix': ['tenants/acme/*'] } } });
    expect(isAllowed(like, { action: 's3:ListBucket', resource: 'b' })).toBe(false);
    expect(isAllowed(like, { action: 's3:ListBucket', resource: 'b', context: { 's3:prefix': 'tenants/acme/x' } })).toBe(true);
    const any = policy({ Effect: 'Allow', Action: ['x:Y'], Resource: ['*'], Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } } });
    expect(isAllowed(any, { action: 'x:Y', resource: 'r', context: { 'aws:TagKeys': ['b', 'a'] } })).toBe(true);
    expect(isAllowed(any, { action: 'x:Y', resource: 'r' })).toBe(false);
  });

  it('throws on an operator it does not evaluate instead of guessing', () => {
    const unknown = policy({ Effect: 'Allow', Action: ['x:Y'], Resource: ['*'], Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    expect(() => isAllowed(unknown, { action: 'x:Y', resource: 'r' })).toThrow(/IpAddress is not supported/);
  });
});
