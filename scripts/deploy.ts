// npm run deploy -- --stack NAME --region R [--profile P] [--bucket-name B | --existing-bucket B]
//                   [--param Key=Value ...] [--dry-run]
//
// 1. builds the Lambda zip (scripts/build-lambda.ts);
// 2. ensures the artifacts bucket hospup-artifacts-<account>-<region> (private,
//    encrypted, old zips expire): the function's code must exist in S3 before
//    the stack that creates the video bucket does, and deploy artifacts stay
//    out of the customer's video bucket and out of the app users' policy;
// 3. uploads the zip as hospup-generator/<sha256>.zip (skipped when present);
// 4. creates or updates the CloudFormation stack from cloud/template.yaml and
//    follows its events until it settles;
// 5. prints the outputs and the settings to enter in the app.
// --dry-run does steps 1 and the planning only: no AWS call at all.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Capability } from '@aws-sdk/client-cloudformation';
import { loadCfnTemplate, type CfnTemplate } from '../cloud/local/iam/cfn-yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE_PATH = join(ROOT, 'cloud/template.yaml');

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface DeployOptions {
  stack: string;
  region: string;
  profile?: string;
  dryRun: boolean;
  /** Template parameters given on the command line (besides the code location). */
  parameters: Record<string, string>;
  artifactsBucket?: string;
}

export const USAGE = `usage: npm run deploy -- --stack NAME --region REGION [--profile PROFILE]
                         [--bucket-name NAME | --existing-bucket NAME] [--param Key=Value ...]
                         [--artifacts-bucket NAME] [--dry-run]`;

export function parseDeployArgs(argv: string[]): DeployOptions {
  const opts: Partial<DeployOptions> & { parameters: Record<string, string> } = { parameters: {}, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag}: needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--stack': opts.stack = value(); break;
      case '--region': opts.region = value(); break;
      case '--profile': opts.profile = value(); break;
      case '--dry-run': opts.dryRun = true; break;
      case '--bucket-name': opts.parameters.BucketName = value(); break;
      // A bucket that already holds the hotel's clips (the guide's): used, not created.
      case '--existing-bucket': opts.parameters.ExistingBucketName = value(); break;
      case '--artifacts-bucket': opts.artifactsBucket = value(); break;
      case '--param': {
        const kv = value();
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`--param: expected Key=Value (got "${kv}")`);
        opts.parameters[kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--help': case '-h': throw new UsageError(USAGE);
      default: throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (!opts.stack) throw new UsageError(`--stack: required (a name such as hospup)\n${USAGE}`);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(opts.stack)) {
    throw new UsageError(`--stack: "${opts.stack}" is not a stack name (letters, digits and hyphens, starting with a letter)`);
  }
  if (!opts.region) throw new UsageError(`--region: required (for example eu-west-1)\n${USAGE}`);
  if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/.test(opts.region)) {
    throw new UsageError(`--region: "${opts.region}" is not an AWS region code (for example eu-west-1)`);
  }
  if (opts.artifactsBucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(opts.artifactsBucket)) {
    throw new UsageError(`--artifacts-bucket: "${opts.artifactsBucket}" is not a valid bucket name`);
  }
  return opts as DeployOptions;
}

/** Checks command-line parameters against the template's declarations (names, patterns, ranges). */
export function checkParameters(template: CfnTemplate, parameters: Record<string, string>): void {
  const declared = template.Parameters ?? {};
  for (const [key, value] of Object.entries(parameters)) {
    const p = declared[key] as (typeof declared)[string] & { AllowedValues?: unknown[]; MaxValue?: number; ConstraintDescription?: string } | undefined;
    if (!p) throw new UsageError(`--param ${key}: the template has no such parameter (it has ${Object.keys(declared).join(', ')})`);
    if (key === 'CodeS3Bucket' || key === 'CodeS3Key') throw new UsageError(`--param ${key}: set by deploy itself`);
    const why = p.ConstraintDescription ? ` (${p.ConstraintDescription})` : '';
    if (p.AllowedPattern && !new RegExp(p.AllowedPattern).test(value)) throw new UsageError(`--param ${key}: "${value}" is not allowed${why}`);
    if (p.AllowedValues && !p.AllowedValues.map(String).includes(value)) {
      throw new UsageError(`--param ${key}: must be one of ${p.AllowedValues.join(', ')} (got ${value})`);
    }
    if (p.Type === 'Number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`--param ${key}: must be a number (got ${value})`);
      if (p.MinValue !== undefined && n < p.MinValue) throw new UsageError(`--param ${key}: must be at least ${p.MinValue} (got ${value})`);
      if (p.MaxValue !== undefined && n > p.MaxValue) throw new UsageError(`--param ${key}: must be at most ${p.MaxValue} (got ${value})`);
    }
  }
}

export function artifactsBucketName(accountId: string, region: string): string {
  return `hospup-artifacts-${accountId}-${region}`;
}

export interface DeployPlan {
  stack: string;
  region: string;
  profile?: string;
  artifactsBucket: string;
  codeKey: string;
  zipPath: string;
  zipBytes: number;
  templatePath: string;
  /** Parameters sent to CloudFormation; on update, absent ones keep their previous value. */
  parameters: { ParameterKey: string; ParameterValue: string }[];
  capabilities: string[];
}

export function planDeployment(
  opts: DeployOptions,
  zip: { zipPath: string; zipBytes: number; sha256: string },
  accountId = '<account-id>',
): DeployPlan {
  const artifactsBucket = opts.artifactsBucket ?? artifactsBucketName(accountId, opts.region);
  const codeKey = `hospup-generator/${zip.sha256}.zip`;
  return {
    stack: opts.stack,
    region: opts.region,
    ...(opts.profile ? { profile: opts.profile } : {}),
    artifactsBucket,
    codeKey,
    zipPath: zip.zipPath,
    zipBytes: zip.zipBytes,
    templatePath: TEMPLATE_PATH,
    parameters: [
      { ParameterKey: 'CodeS3Bucket', ParameterValue: artifactsBucket },
      { ParameterKey: 'CodeS3Key', ParameterValue: codeKey },
      ...Object.entries(opts.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    ],
    // The template creates roles and a managed policy with generated names.
    capabilities: ['CAPABILITY_IAM'],
  };
}

export function formatPlan(plan: DeployPlan, template: CfnTemplate): string {
  const given = new Map(plan.parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
  const lines = [
    `Deploy plan${plan.profile ? ` (profile ${plan.profile})` : ''}:`,
    `  1. build ${plan.zipPath} (${plan.zipBytes} bytes)`,
    `  2. ensure artifacts bucket s3://${plan.artifactsBucket} in ${plan.region} (private, SSE-S3, zips expire after 30 days)`,
    `  3. upload s3://${plan.artifactsBucket}/${plan.codeKey} unless already there`,
    `  4. create or update stack "${plan.stack}" in ${plan.region} from ${plan.templatePath} (${plan.capabilities.join(', ')})`,
    '  5. wait for the stack, then print its outputs',
    '',
    'Template parameters:',
  ];
  for (const [name, p] of Object.entries(template.Parameters ?? {})) {
    const value = given.has(name)
      ? given.get(name)
      : `${JSON.stringify(p.Default ?? '')} (template default; previous value kept on update)`;
    lines.push(`  ${name.padEnd(30)} ${value}`);
  }
  return lines.join('\n');
}

/** Stack outputs as the app's AWS settings screen needs them. */
export function formatOutputs(outputs: Record<string, string>, region: string): string {
  return [
    'Stack outputs:',
    ...Object.entries(outputs).map(([k, v]) => `  ${k.padEnd(20)} ${v}`),
    '',
    'In Hospup Studio > Settings > Export target "AWS", enter:',
    `  Region         ${outputs.Region ?? region}`,
    `  Bucket         ${outputs.BucketName ?? '?'}`,
    `  Function name  ${outputs.FunctionName ?? '?'}`,
    '',
    'Give each member of staff who exports the managed policy, for example:',
    `  aws iam attach-user-policy --user-name NAME --policy-arn ${outputs.UserPolicyArn ?? '?'}`,
    '  (or add it to their IAM Identity Center permission set)',
  ].join('\n');
}

async function credentialsFor(profile: string | undefined): Promise<AwsCredentialIdentityProvider> {
  const { createCredentialProvider } = await import('../electron/services/aws/credentials');
  return createCredentialProvider(profile ? { kind: 'profile', profile } : { kind: 'default' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDeploy(opts: DeployOptions, log: (line: string) => void = console.log): Promise<Record<string, string> | undefined> {
  const template = loadCfnTemplate(TEMPLATE_PATH);
  checkParameters(template, opts.parameters);
  const { buildLambdaZip } = await import('./build-lambda');
  const zip = await buildLambdaZip();
  log(`built ${zip.zipPath}: ${zip.zipBytes} bytes, sha256 ${zip.sha256}`);

  if (opts.dryRun) {
    log(formatPlan(planDeployment(opts, zip), template));
    log('\n--dry-run: no AWS call was made.');
    return undefined;
  }

  const credentials = await credentialsFor(opts.profile);
  const common = { region: opts.region, credentials };
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const identity = await new STSClient(common).send(new GetCallerIdentityCommand({}));
  const plan = planDeployment(opts, zip, identity.Account);
  log(`deploying as ${identity.Arn}`);
  log(formatPlan(plan, template));

  await ensureArtifactsBucket(common, plan, log);
  await uploadZip(common, plan, log);
  const outputs = await deployStack(common, plan, readFileSync(TEMPLATE_PATH, 'utf8'), log);
  log('');
  log(formatOutputs(outputs, opts.region));
  return outputs;
}

/**
 * On update, parameters not given keep the stack's current values (never rename the bucket by
 * omission). Values are copied from DescribeStacks rather than sent as UsePreviousValue, which
 * CloudFormation rejects for a parameter the previous template did not have (new ones take
 * their defaults). The template has no NoEcho parameter, whose value would read back masked.
 */
export function keptParameters(
  template: CfnTemplate,
  given: { ParameterKey: string }[],
  previous: Record<string, string>,
): { ParameterKey: string; ParameterValue: string }[] {
  const named = new Set(given.map((p) => p.ParameterKey));
  return Object.keys(template.Parameters ?? {})
    .filter((k) => !named.has(k) && k in previous)
    .map((ParameterKey) => ({ ParameterKey, ParameterValue: previous[ParameterKey] }));
}

type ClientConfig = { region: string; credentials: AwsCredentialIdentityProvider };

async function ensureArtifactsBucket(config: ClientConfig, plan: DeployPlan, log: (l: string) => void): Promise<void> {
  const s3m = await import('@aws-sdk/client-s3');
  const s3 = new s3m.S3Client(config);
  try {
    await s3.send(new s3m.HeadBucketCommand({ Bucket: plan.artifactsBucket }));
    log(`artifacts bucket ${plan.artifactsBucket} exists`);
    return;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 403) throw new Error(`bucket ${plan.artifactsBucket} exists but this identity may not use it (403); pass --artifacts-bucket`);
    if (status !== 404) throw err;
  }
  log(`creating artifacts bucket ${plan.artifactsBucket}`);
  await s3.send(new s3m.CreateBucketCommand({
    Bucket: plan.artifactsBucket,
    ...(plan.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: plan.region as never } }),
  }));
  await s3.send(new s3m.PutPublicAccessBlockCommand({
    Bucket: plan.artifactsBucket,
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  }));
  await s3.send(new s3m.PutBucketEncryptionCommand({
    Bucket: plan.artifactsBucket,
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
  }));
  // Lambda copies the code at deploy time; old zips are only needed for a rollback soon after.
  await s3.send(new s3m.PutBucketLifecycleConfigurationCommand({
    Bucket: plan.artifactsBucket,
    LifecycleConfiguration: {
      Rules: [{ ID: 'ExpireOldZips', Status: 'Enabled', Filter: { Prefix: 'hospup-generator/' }, Expiration: { Days: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
    },
  }));
}

async function uploadZip(config: ClientConfig, plan: DeployPlan, log: (l: string) => void): Promise<void> {
  const s3m = await import('@aws-sdk/client-s3');
  const s3 = new s3m.S3Client(config);
  try {
    await s3.send(new s3m.HeadObjectCommand({ Bucket: plan.artifactsBucket, Key: plan.codeKey }));
    log(`code s3://${plan.artifactsBucket}/${plan.codeKey} already uploaded`);
    return;
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw err;
  }
  await s3.send(new s3m.PutObjectCommand({
    Bucket: plan.artifactsBucket, Key: plan.codeKey, Body: readFileSync(plan.zipPath), ContentType: 'application/zip',
  }));
  log(`uploaded s3://${plan.artifactsBucket}/${plan.codeKey}`);
}

const DONE = /_COMPLETE$|_FAILED$/;
const GOOD = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE']);

async function deployStack(config: ClientConfig, plan: DeployPlan, templateBody: string, log: (l: string) => void): Promise<Record<string, string>> {
  const cf = await import('@aws-sdk/client-cloudformation');
  const client = new cf.CloudFormationClient(config);
  let existing: string | undefined;
  let previous: Record<string, string> = {};
  try {
    const d = await client.send(new cf.DescribeStacksCommand({ StackName: plan.stack }));
    existing = d.Stacks?.[0]?.StackStatus;
    previous = Object.fromEntries((d.Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
  } catch (err) {
    if (!/does not exist/.test((err as Error).message)) throw err;
  }
  if (existing === 'ROLLBACK_COMPLETE') {
    throw new Error(`stack ${plan.stack} failed to create earlier and must be deleted first: aws cloudformation delete-stack --stack-name ${plan.stack} --region ${plan.region}`);
  }
  if (existing && !DONE.test(existing)) throw new Error(`stack ${plan.stack} is busy (${existing}); wait and retry`);

  const since = new Date();
  if (!existing) {
    log(`creating stack ${plan.stack}`);
    await client.send(new cf.CreateStackCommand({
      StackName: plan.stack, TemplateBody: templateBody, Parameters: plan.parameters,
      Capabilities: plan.capabilities as Capability[], OnFailure: 'ROLLBACK',
      Tags: [{ Key: 'app', Value: 'hospup-studio' }],
    }));
  } else {
    const kept = keptParameters(loadCfnTemplate(TEMPLATE_PATH), plan.parameters, previous);
    log(`updating stack ${plan.stack} (${existing})`);
    try {
      await client.send(new cf.UpdateStackCommand({
        StackName: plan.stack, TemplateBody: templateBody, Parameters: [...plan.parameters, ...kept],
        Capabilities: plan.capabilities as Capability[],
      }));
    } catch (err) {
      if (!/No updates are to be performed/.test((err as Error).message)) throw err;
      log('nothing to update: the stack already runs this code and template');
      return stackOutputs(client, cf, plan.stack);
    }
  }

  const seen = new Set<string>();
  for (;;) {
    await sleep(5000);
    const events = await client.send(new cf.DescribeStackEventsCommand({ StackName: plan.stack }));
    for (const e of (events.StackEvents ?? []).slice().reverse()) {
      if (!e.EventId || seen.has(e.EventId) || (e.Timestamp && e.Timestamp < since)) continue;
      seen.add(e.EventId);
      log(`  ${e.Timestamp?.toISOString().slice(11, 19)} ${e.LogicalResourceId} ${e.ResourceStatus}${e.ResourceStatusReason ? `: ${e.ResourceStatusReason}` : ''}`);
    }
    const status = (await client.send(new cf.DescribeStacksCommand({ StackName: plan.stack }))).Stacks?.[0]?.StackStatus ?? '';
    if (DONE.test(status) && !status.endsWith('_IN_PROGRESS')) {
      if (!GOOD.has(status)) throw new Error(`stack ${plan.stack} ended in ${status}; the events above say why`);
      log(`stack ${plan.stack}: ${status}`);
      return stackOutputs(client, cf, plan.stack);
    }
  }
}

async function stackOutputs(client: any, cf: typeof import('@aws-sdk/client-cloudformation'), stack: string): Promise<Record<string, string>> {
  const d = await client.send(new cf.DescribeStacksCommand({ StackName: stack }));
  return Object.fromEntries((d.Stacks?.[0]?.Outputs ?? []).map((o: { OutputKey?: string; OutputValue?: string }) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

async function main(): Promise<void> {
  try {
    await runDeploy(parseDeployArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(err instanceof UsageError ? err.message : `deploy failed: ${(err as Error).message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
