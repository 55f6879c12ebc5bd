/**
 * `@isolation/runtime/testing`: local stand-ins for AWS services that have no local implementation,
 * for tests and demos. Nothing here is used by the runtime itself.
 */
export { startStsServer, type StsServer, type StsFailure, type ReceivedAssumeRole } from './sts-server.js';
export { startEventBridgeServer, type EventBridgeServer } from './eventbridge-server.js';
export { startSnsServer, type SnsServer, type ReceivedSnsRequest, type PublishedMessage, type SnsSubscription } from './sns-server.js';
export { startSsmServer, type SsmServer, type SsmServerOptions } from './ssm-server.js';
export { startSecretsManagerServer, type SecretsManagerServer, type SecretsManagerServerOptions } from './secrets-manager-server.js';
export { ServiceError, type JsonProtocolServer, type LocalAccountOptions, type ReceivedJsonRequest } from './json-protocol-server.js';
export { startSqsServer, type SqsServer } from './sqs-server.js';
