/** Where an export runs: the embedded local cloud or a real AWS account; and the SDK clients for it. */
import { S3Client } from '@aws-sdk/client-s3';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface CloudTarget {
  kind: 'local' | 'aws';
  region: string;
  bucket: string;
  functionName: string;
  /** Prefix of uploaded clips, content-addressed as `<prefix><sha256><.ext>`. */
  sourcesPrefix?: string;
  /** Absent: the SDK's default credential chain (env, profile, SSO, ...). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Custom endpoints (the local cloud, or AWS_ENDPOINT_URL_* overrides). */
  endpoints?: { s3?: string; lambda?: string; mediaconvert?: string };
  /**
   * The embedded local cloud only: resolves at the job's next state change, so the exporter asks
   * for the status right then (the answer still comes through the generation function, as on
   * AWS). Absent for AWS: the exporter polls on its documented cadence.
   */
  jobChanged?: (jobId: string, signal?: AbortSignal) => Promise<void>;
}

export interface CloudClients {
  s3: S3Client;
  lambda: LambdaClient;
}

export function createCloudClients(target: CloudTarget): CloudClients {
  const common = {
    region: target.region,
    maxAttempts: 5, // network hiccups: the SDK retries with exponential backoff
    ...(target.credentials && { credentials: target.credentials }),
  };
  return {
    s3: new S3Client({ ...common, ...(target.endpoints?.s3 && { endpoint: target.endpoints.s3, forcePathStyle: true }) }),
    lambda: new LambdaClient({ ...common, ...(target.endpoints?.lambda && { endpoint: target.endpoints.lambda }) }),
  };
}

/** Target settings from the standard AWS variables (used by `--target aws`). */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): CloudTarget['endpoints'] {
  const pick = (name: string) => env[`AWS_ENDPOINT_URL_${name}`] || env.AWS_ENDPOINT_URL || undefined;
  const endpoints = { s3: pick('S3'), lambda: pick('LAMBDA'), mediaconvert: pick('MEDIACONVERT') };
  return endpoints.s3 || endpoints.lambda || endpoints.mediaconvert ? endpoints : undefined;
}
