/** The part of s3rver's API the S3 guard tests use (the package ships no types). */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    readonly port?: number;
    readonly address?: string;
    readonly silent?: boolean;
    readonly directory: string;
    readonly configureBuckets?: readonly { readonly name: string }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** The HTTP server, once `run()` has resolved. */
    readonly httpServer: import('node:http').Server | undefined;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
