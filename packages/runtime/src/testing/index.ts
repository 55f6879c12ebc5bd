/**
 * `@isolation/runtime/testing`: local stand-ins for AWS services that have no local implementation,
 * for tests and demos. Nothing here is used by the runtime itself.
 */
export { startStsServer, type StsServer, type StsFailure, type ReceivedAssumeRole } from './sts-server.js';
export { startEventBridgeServer, type EventBridgeServer } from './eventbridge-server.js';
