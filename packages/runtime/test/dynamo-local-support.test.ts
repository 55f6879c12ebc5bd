import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from './support/dynamo.js';

describe('the DynamoDB Local test support', () => {
  const path = process.env['PATH'];
  afterEach(() => {
    process.env['PATH'] = path;
  });

  it('says that Java is missing and how to install it, instead of timing out', async () => {
    process.env['PATH'] = '/nonexistent';
    await expect(startDynamoDbLocal({ timeoutMs: 5000 })).rejects.toThrow(/no `java` on the PATH\. These tests run AWS's DynamoDB Local, which needs Java 17 \(Debian: apt-get install openjdk-17-jre-headless\)/);
  });
});
