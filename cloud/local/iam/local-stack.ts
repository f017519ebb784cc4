/**
 * cloud/template.yaml as the local cloud deploys it: stack `hospup-video` (so the function is
 * `hospup-video-generator`) with the guide's bucket `hospup-videos`, in account 000000000000.
 * What comes out is what IAM would hold after that deployment: the app users' managed policy,
 * each role's trust and permission policies, and the bucket policy. Nothing is written by hand:
 * change the template and the local cloud enforces the change.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCfnTemplate, type CfnTemplate } from './cfn-yaml';
import { resolveStack, type ResolvedStack } from './cfn-resolve';
import { parsePolicy, type Policy } from './policy';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_STACK_NAME = 'hospup-video';

export interface StackRole {
  arn: string;
  name: string;
  trust: Policy;
  policies: Policy[];
}

export interface LocalStack {
  region: string;
  accountId: string;
  bucket: string;
  functionName: string;
  functionArn: string;
  /** The function's execution role (the `Role` of the function resource). */
  functionRole: StackRole;
  /** The role the function passes to MediaConvert (its MEDIA_CONVERT_ROLE_ARN). */
  mediaConvertRoleArn: string;
  /** The policy the stack outputs as UserPolicyArn: what an app user is given. */
  appUserPolicy: Policy;
  roles: Map<string, StackRole>;
  bucketPolicies: Map<string, Policy>;
  /** The function's environment, as the stack sets it. */
  functionEnvironment: Record<string, string>;
}

/** The template next to the sources (cloud/template.yaml) or copied beside a bundle. */
export function templatePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../../template.yaml'), join(here, 'template.yaml'), join(process.cwd(), 'cloud/template.yaml')];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`cloud/template.yaml not found (looked in ${candidates.join(', ')})`);
  return found;
}

export interface LocalStackOptions {
  region: string;
  bucket: string;
  template?: CfnTemplate;
  /** Template parameters beyond the bucket (tests deploy the existing-bucket variant this way). */
  parameters?: Record<string, string>;
}

export function loadLocalStack(options: LocalStackOptions): LocalStack {
  const template = options.template ?? loadCfnTemplate(templatePath());
  const stack = resolveStack(template, {
    stackName: LOCAL_STACK_NAME,
    region: options.region,
    accountId: LOCAL_ACCOUNT_ID,
    parameters: {
      BucketName: options.bucket,
      // The code location only matters to AWS; the local Lambda hosts the handler itself.
      CodeS3Bucket: 'hospup-local-code',
      CodeS3Key: 'lambda/local.zip',
      ...options.parameters,
    },
  });
  return stackFromResolved(stack, options.region);
}

function resourcesOfType(stack: ResolvedStack, type: string): [string, Record<string, unknown>][] {
  return Object.entries(stack.resources).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties]);
}

function stackFromResolved(stack: ResolvedStack, region: string): LocalStack {
  const roles = new Map<string, StackRole>();
  for (const [id, props] of resourcesOfType(stack, 'AWS::IAM::Role')) {
    const name = stack.refs[id];
    const arn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${name}`;
    const inline = (props.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? [];
    roles.set(arn, {
      arn,
      name,
      trust: parsePolicy(`${id} trust policy`, props.AssumeRolePolicyDocument, 'resource'),
      policies: inline.map((p) => parsePolicy(`${id}/${p.PolicyName}`, p.PolicyDocument, 'identity')),
    });
  }
  const bucketPolicies = new Map<string, Policy>();
  for (const [id, props] of resourcesOfType(stack, 'AWS::S3::BucketPolicy')) {
    bucketPolicies.set(String(props.Bucket), parsePolicy(id, props.PolicyDocument, 'resource'));
  }
  const managed = new Map<string, Policy>();
  for (const [id, props] of resourcesOfType(stack, 'AWS::IAM::ManagedPolicy')) {
    managed.set(stack.refs[id], parsePolicy(id, props.PolicyDocument, 'identity'));
  }

  const functions = resourcesOfType(stack, 'AWS::Lambda::Function');
  if (functions.length !== 1) throw new Error(`the template should define one function, not ${functions.length}`);
  const [functionId, fn] = functions[0];
  const functionRole = roles.get(String(fn.Role));
  if (!functionRole) throw new Error(`${functionId}.Role (${String(fn.Role)}) is not a role of the template`);
  const environment = ((fn.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
  const functionEnvironment = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]));
  const mediaConvertRoleArn = functionEnvironment.MEDIA_CONVERT_ROLE_ARN;
  if (!mediaConvertRoleArn || !roles.has(mediaConvertRoleArn)) throw new Error('MEDIA_CONVERT_ROLE_ARN of the function is not a role of the template');
  const appUserPolicy = managed.get(stack.outputs.UserPolicyArn);
  if (!appUserPolicy) throw new Error('the template outputs no UserPolicyArn naming one of its managed policies');
  const functionName = stack.refs[functionId];
  return {
    region,
    accountId: LOCAL_ACCOUNT_ID,
    bucket: stack.outputs.BucketName,
    functionName,
    functionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    functionRole,
    mediaConvertRoleArn,
    appUserPolicy,
    roles,
    bucketPolicies,
    functionEnvironment,
  };
}
