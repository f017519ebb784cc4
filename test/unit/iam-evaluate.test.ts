// The local cloud's policy engine (cloud/local/iam) decides like AWS: every decision is
// cross-checked against @cloud-copilot/iam-simulate (AGPL, a devDependency used only here),
// for every principal of cloud/template.yaml and for each condition operator's edge cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { evaluate, type AuthorizationRequest, type RequestPrincipal } from '../../cloud/local/iam/evaluate';
import { parsePolicy, PolicyError, type Policy } from '../../cloud/local/iam/policy';
import { loadLocalStack, LOCAL_ACCOUNT_ID, type LocalStack } from '../../cloud/local/iam/local-stack';
import { LocalAccount } from '../../cloud/local/iam/account';

const ACCOUNT = LOCAL_ACCOUNT_ID;
type Raw = { Version: '2012-10-17'; Statement: Record<string, unknown>[] };

interface Case {
  label: string;
  principal: RequestPrincipal;
  identity: { policy: Policy; raw: unknown }[];
  resource?: { policy: Policy; raw: unknown };
  action: string;
  resourceArn: string;
  context: Record<string, string | string[]>;
}

async function simulate(c: Case): Promise<string> {
  const result = await runSimulation({
    identityPolicies: c.identity.map((p, i) => ({ name: `p${i}`, policy: p.raw })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(c.resource && { resourcePolicy: c.resource.raw }),
    request: {
      principal: c.principal.service ?? c.principal.arn,
      action: c.action,
      resource: { resource: c.resourceArn, accountId: ACCOUNT },
      contextVariables: c.context,
    },
  } as never, {});
  if (result.resultType === 'error') throw new Error(`${c.label}: iam-simulate refused the case: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

function ours(c: Case): string {
  const request: AuthorizationRequest = { principal: c.principal, action: c.action, resource: c.resourceArn, context: c.context };
  return evaluate(request, { identity: c.identity.map((p) => p.policy), resource: c.resource?.policy }).result;
}

async function crossCheck(cases: Case[]): Promise<void> {
  const disagreements: string[] = [];
  for (const c of cases) {
    const [mine, theirs] = [ours(c), await simulate(c)];
    if (mine !== theirs) disagreements.push(`${c.label}: ours ${mine}, iam-simulate ${theirs}`);
  }
  assert.deepEqual(disagreements, []);
}

/** A parsed policy with its JSON form for iam-simulate. */
const toRaw = (p: Policy) => ({ policy: p, raw: policyJson(p) });

/** Back to JSON from the parsed form (what iam-simulate reads). */
function policyJson(p: Policy): Raw {
  return {
    Version: '2012-10-17',
    Statement: p.statements.map((s) => {
      const out: Record<string, unknown> = { Effect: s.effect };
      if (s.sid) out.Sid = s.sid;
      out[s.actions.not ? 'NotAction' : 'Action'] = s.actions.values;
      out[s.resources.not ? 'NotResource' : 'Resource'] = s.resources.values;
      if (s.principals) {
        const v = s.principals.values;
        out[s.principals.not ? 'NotPrincipal' : 'Principal'] = v.everyone ? '*' : { ...(v.aws.length && { AWS: v.aws }), ...(v.service.length && { Service: v.service }) };
      }
      if (s.conditions.length) {
        const block: Record<string, Record<string, string[]>> = {};
        for (const c of s.conditions) {
          const name = `${c.set ? `${c.set}:` : ''}${c.operator}${c.ifExists ? 'IfExists' : ''}`;
          (block[name] ??= {})[c.key] = c.values;
        }
        out.Condition = block;
      }
      return out;
    }),
  };
}

function templateCases(stack: LocalStack): Case[] {
  const account = new LocalAccount(stack);
  const bucketPolicy = stack.bucketPolicies.get(stack.bucket);
  const mcRole = stack.roles.get(stack.mediaConvertRoleArn)!;
  const mcSession: RequestPrincipal = { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${mcRole.name}/job`, account: ACCOUNT, roleArn: mcRole.arn };
  const principals: [string, RequestPrincipal, Policy[]][] = [
    ['app', account.app, account.app.identityPolicies],
    ['function', account.function, account.function.identityPolicies],
    ['mediaconvert', mcSession, mcRole.policies],
    ['admin', account.admin, account.admin.identityPolicies],
  ];
  const b = `arn:aws:s3:::${stack.bucket}`;
  const objects = ['sources/abc.mp4', 'video1.mp4', 'clips/pool.mov', 'overlays/o.png', 'generated-videos/t/video.mp4'];
  const requests: { action: string; resource: string; context?: Record<string, string> }[] = [
    ...['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:DeleteObject']
      .flatMap((action) => objects.map((key) => ({ action, resource: `${b}/${key}` }))),
    { action: 's3:GetObject', resource: 'arn:aws:s3:::someone-elses-bucket/video1.mp4' },
    { action: 's3:ListBucket', resource: b },
    { action: 's3:ListBucket', resource: b, context: { 's3:prefix': 'sources/' } },
    { action: 's3:ListBucket', resource: b, context: { 's3:prefix': 'generated-videos/' } },
    { action: 's3:ListBucket', resource: b, context: { 's3:prefix': '' } },
    { action: 's3:ListBucketMultipartUploads', resource: b },
    { action: 'lambda:InvokeFunction', resource: stack.functionArn },
    { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:${stack.region}:${ACCOUNT}:function:other` },
    { action: 'lambda:GetFunction', resource: stack.functionArn },
    { action: 'mediaconvert:CreateJob', resource: `arn:aws:mediaconvert:${stack.region}:${ACCOUNT}:queues/Default` },
    { action: 'mediaconvert:CreateJob', resource: `arn:aws:mediaconvert:${stack.region}:${ACCOUNT}:queues/Priority` },
    { action: 'mediaconvert:GetJob', resource: `arn:aws:mediaconvert:${stack.region}:${ACCOUNT}:jobs/1700000000-abc` },
    { action: 'mediaconvert:CancelJob', resource: `arn:aws:mediaconvert:${stack.region}:${ACCOUNT}:jobs/1700000000-abc` },
    { action: 'iam:PassRole', resource: stack.mediaConvertRoleArn, context: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } },
    { action: 'iam:PassRole', resource: stack.mediaConvertRoleArn, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    { action: 'iam:PassRole', resource: stack.functionRole.arn, context: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } },
  ];
  const cases: Case[] = [];
  for (const [name, principal, identity] of principals) {
    for (const r of requests) {
      for (const secure of ['true', 'false']) {
        const s3 = r.action.startsWith('s3:');
        if (!s3 && secure === 'false') continue;
        cases.push({
          label: `${name} ${r.action} ${r.resource} ${JSON.stringify(r.context ?? {})} secure=${secure}`,
          principal,
          identity: identity.map(toRaw),
          resource: s3 && bucketPolicy ? toRaw(bucketPolicy) : undefined,
          action: r.action,
          resourceArn: r.resource,
          context: { 'aws:SecureTransport': secure, ...r.context },
        });
      }
    }
  }
  // MediaConvert assuming its role: only for jobs of this account and region.
  for (const [label, context] of [
    ['own job', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:mediaconvert:${stack.region}:${ACCOUNT}:jobs/1` }],
    ['other account', { 'aws:SourceAccount': '111122223333', 'aws:SourceArn': `arn:aws:mediaconvert:${stack.region}:111122223333:jobs/1` }],
    ['other region', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:mediaconvert:us-east-1:${ACCOUNT}:jobs/1` }],
    ['no source', {}],
  ] as const) {
    for (const [role, service] of [[mcRole, 'mediaconvert.amazonaws.com'], [mcRole, 'lambda.amazonaws.com'], [stack.functionRole, 'mediaconvert.amazonaws.com']] as const) {
      cases.push({
        label: `${service} assumes ${role.name} (${label})`,
        principal: { arn: service, account: ACCOUNT, service },
        identity: [],
        resource: toRaw(role.trust),
        action: 'sts:AssumeRole',
        resourceArn: role.arn,
        context: { ...context },
      });
    }
  }
  return cases;
}

describe('policy engine vs iam-simulate', () => {
  it('agrees on every principal of cloud/template.yaml (new bucket with its TLS-only bucket policy)', async () => {
    const stack = loadLocalStack({ region: 'eu-west-1', bucket: 'hospup-videos' });
    const cases = templateCases(stack);
    assert.ok(cases.length > 250, `${cases.length} cases`);
    await crossCheck(cases);
  });

  it('agrees on the stack that uses an existing bucket (ExistingBucketName), which gets no bucket policy', async () => {
    const stack = loadLocalStack({ region: 'eu-west-1', bucket: '', parameters: { ExistingBucketName: 'hotel-clips' } });
    assert.equal(stack.bucket, 'hotel-clips');
    assert.equal(stack.bucketPolicies.size, 0);
    await crossCheck(templateCases(stack));
  });

  it('agrees on each condition operator: missing keys, IfExists, negation, sets, Null, Bool, numbers, ARNs', async () => {
    const principal: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:user/u`, account: ACCOUNT };
    const conditions: Record<string, Record<string, string | string[]>>[] = [
      { StringEquals: { 's3:prefix': 'a/' } },
      { StringNotEquals: { 's3:prefix': ['a/', 'b/'] } },
      { StringLike: { 's3:prefix': ['a/*', 'c?/'] } },
      { StringNotLike: { 's3:prefix': 'a/*' } },
      { StringLikeIfExists: { 's3:prefix': 'a/*' } },
      { StringNotLikeIfExists: { 's3:prefix': 'a/*' } },
      { StringEqualsIgnoreCase: { 's3:prefix': 'A/' } },
      { Null: { 's3:prefix': 'true' } },
      { Null: { 's3:prefix': 'false' } },
      { Bool: { 'aws:SecureTransport': 'false' } },
      { BoolIfExists: { 'aws:SecureTransport': 'true' } },
      { NumericLessThanEquals: { 's3:max-keys': '10' } },
      { NumericGreaterThan: { 's3:max-keys': '10' } },
      { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/*` } },
      { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } },
      { StringEquals: { 's3:prefix': 'a/' }, Bool: { 'aws:SecureTransport': 'true' } },
      { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['team*', 'env'] } },
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
      { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'team' } },
    ];
    const contexts: Record<string, string>[] = [
      {},
      { 's3:prefix': 'a/' },
      { 's3:prefix': 'a/deep/' },
      { 's3:prefix': 'b/' },
      { 's3:prefix': 'cx/' },
      { 's3:prefix': 'A/' },
      { 'aws:SecureTransport': 'true', 's3:prefix': 'a/' },
      { 'aws:SecureTransport': 'false' },
      { 's3:max-keys': '5' },
      { 's3:max-keys': '50' },
      { 'aws:PrincipalArn': principal.arn },
      { 'aws:TagKeys': ['team', 'env'] } as never,
      { 'aws:TagKeys': ['team', 'cost'] } as never,
      { 'aws:TagKeys': ['team'] } as never,
    ];
    const cases: Case[] = [];
    for (const [i, condition] of conditions.entries()) {
      for (const effect of ['Allow', 'Deny'] as const) {
        const raw: Raw = { Version: '2012-10-17', Statement: [{ Effect: effect, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: condition }] };
        if (effect === 'Deny') raw.Statement.unshift({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
        for (const context of contexts) {
          cases.push({
            label: `${effect} ${JSON.stringify(condition)} with ${JSON.stringify(context)}`,
            principal,
            identity: [{ policy: parsePolicy(`c${i}`, raw, 'identity'), raw }],
            action: 's3:ListBucket',
            resourceArn: 'arn:aws:s3:::b',
            context,
          });
        }
      }
    }
    await crossCheck(cases);
  });

  it('agrees on NotAction, NotResource, wildcards in actions and resources, and resource-policy grants', async () => {
    const principal: RequestPrincipal = { arn: `arn:aws:iam::${ACCOUNT}:user/u`, account: ACCOUNT };
    const identity: Raw[] = [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 's3:Delete*', Resource: 'arn:aws:s3:::b/*' }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', NotResource: 'arn:aws:s3:::b/private/*' }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:getobject', Resource: 'arn:aws:s3:::b/a?c/*' }] },
    ];
    const resourcePolicies: (Raw | undefined)[] = [
      undefined,
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal.arn }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' }] },
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:user/other` }, Action: 's3:*', Resource: 'arn:aws:s3:::b/private/*' }] },
    ];
    const cases: Case[] = [];
    for (const [i, raw] of identity.entries()) {
      for (const [j, resourceRaw] of resourcePolicies.entries()) {
        for (const action of ['s3:GetObject', 's3:DeleteObject', 's3:PutObject']) {
          for (const key of ['abc/x', 'private/x', 'public/x']) {
            cases.push({
              label: `identity ${i} resource ${j} ${action} ${key}`,
              principal,
              identity: [{ policy: parsePolicy(`i${i}`, raw, 'identity'), raw }],
              resource: resourceRaw && { policy: parsePolicy(`r${j}`, resourceRaw, 'resource'), raw: resourceRaw },
              action,
              resourceArn: `arn:aws:s3:::b/${key}`,
              context: {},
            });
          }
        }
      }
    }
    await crossCheck(cases);
  });
});

describe('policy parsing', () => {
  it('refuses what it cannot evaluate exactly instead of guessing', () => {
    const doc = (statement: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [statement] });
    const refusals: [unknown, 'identity' | 'resource', RegExp][] = [
      [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } } }), 'identity', /DateGreaterThan" is not supported/],
      [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }), 'identity', /policy variables are not supported/],
      [doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), 'identity', /cannot name a Principal/],
      [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'resource', /needs Principal or NotPrincipal/],
      [doc({ Effect: 'Allow', NotPrincipal: '*', Action: 's3:GetObject', Resource: '*' }), 'resource', /NotPrincipal can only be used with Deny/],
      [doc({ Effect: 'Allow', Action: 's3:GetObject', NotAction: 's3:PutObject', Resource: '*' }), 'identity', /Action and NotAction cannot both be given/],
      [{ Version: '2008-10-17', Statement: [] }, 'identity', /Version/],
    ];
    for (const [document, kind, expected] of refusals) {
      assert.throws(() => parsePolicy('test', document, kind), (err: unknown) => err instanceof PolicyError && expected.test(err.message), String(expected));
    }
  });
});
