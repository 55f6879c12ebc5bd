/**
 * The calls a guarded client may make that a scoped session (`scopedCredentials`) is denied: the
 * session policy leaves them out because IAM cannot confine them to the scope, so AWS answers them
 * with AccessDenied although the guard approved them. Everything else the guard allows, the policy
 * allows on the scope's own resources — a test (`session-policy-coverage.test.ts`) derives the
 * guard's operations from its rules and checks each against the policy, and this list.
 *
 * An entry names the service as the guard does (`client.config.serviceId`) and the operation; with
 * `form`, only that form of the call is denied.
 */

export interface UnconfinableOperation {
  readonly service: 'DynamoDB' | 'S3' | 'SQS' | 'SNS' | 'EventBridge' | 'SSM' | 'Secrets Manager';
  readonly operation: string;
  /** Only this form of the call is denied; the others are allowed. */
  readonly form?: string;
  /** Why IAM cannot confine it, and what to do instead. */
  readonly reason: string;
}

const ANYWHERE = 'IAM authorises it on `*` only, so a policy naming only the scope’s resources cannot allow it';

export const UNCONFINABLE_OPERATIONS: readonly UnconfinableOperation[] = [
  {
    service: 'DynamoDB',
    operation: 'DescribeEndpoints',
    reason: `${ANYWHERE}. It reads no data; the SDK sends it only with endpoint discovery turned on, which DynamoDB does not need`,
  },
  {
    service: 'S3',
    operation: 'ListMultipartUploads',
    reason: "s3:ListBucketMultipartUploads is authorised on the bucket and IAM offers no s3:prefix for it: allowed, it would list every scope's uploads in the bucket. Keep the upload ids a scope starts (ListParts, AbortMultipartUpload work on them)",
  },
  {
    service: 'SQS',
    operation: 'ListQueues',
    reason: `${ANYWHERE}: it would list every queue of the account, every tenant's names. The scope's queue URLs come from scope.queue()`,
  },
  {
    service: 'SQS',
    operation: 'SetQueueAttributes',
    reason: "IAM can name the queue but not the attributes a call sets: a RedrivePolicy naming another scope's queue would move messages into it, a Policy would open the queue to other principals (the guard allows timing and size attributes only). Set them from a platform or operator scope",
  },
  {
    service: 'SQS',
    operation: 'CreateQueue',
    reason: 'IAM can name the queue but not the attributes it is created with (a Policy or RedrivePolicy, as for SetQueueAttributes). Create queues from a platform or operator scope',
  },
  {
    service: 'SNS',
    operation: 'Subscribe',
    reason:
      "IAM can confine it only by naming the scope's queue ARNs again, in an sns:Endpoint condition: about 300 characters for three queues, which a realistic scope's policy (about 2,000 of STS's 2,048) has no room for; without that condition a subscription of the scope's topic to another scope's queue would write into that queue. Subscribe from a platform scope",
  },
  {
    service: 'SSM',
    operation: 'DescribeParameters',
    reason: `${ANYWHERE}: even filtered, IAM cannot hold it to the filter, and it would list every parameter of the account. List the scope's parameters with GetParametersByPath on scope.parameterPrefix`,
  },
  {
    service: 'SSM',
    operation: 'GetParametersByPath',
    form: "Path without its trailing '/'",
    reason:
      "IAM authorises it on the path as given, which lies outside '<parameter prefix>*'; an exact grant of that path would also reach the parameter of that name, which is the level above the scope's. Pass the path with its trailing '/' (scope.parameterPrefix)",
  },
  {
    service: 'Secrets Manager',
    operation: 'ListSecrets',
    reason: `${ANYWHERE}: even filtered, IAM cannot hold it to the filter, and it would list every secret of the account`,
  },
  {
    service: 'Secrets Manager',
    operation: 'BatchGetSecretValue',
    reason: `${ANYWHERE} (each secret it returns is then checked as GetSecretValue). Read the scope's secrets one by one with GetSecretValue`,
  },
  {
    service: 'Secrets Manager',
    operation: 'GetRandomPassword',
    reason: `${ANYWHERE}. It names no secret: generate passwords in the process (crypto.randomBytes)`,
  },
];
