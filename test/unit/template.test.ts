// Reviews cloud/template.yaml as data: every policy resource is scoped, no
// *FullAccess, TLS-only bucket, confused-deputy conditions on the MediaConvert
// trust, PassRole limited to that role. Optionally runs cfn-lint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCfnTemplate, writeParsedTemplate, type CfnTemplate } from '../../cloud/local/iam/cfn-yaml';

const TEMPLATE_PATH = fileURLToPath(new URL('../../cloud/template.yaml', import.meta.url));
const template = loadCfnTemplate(TEMPLATE_PATH);

type Statement = {
  Sid?: string; Effect: 'Allow' | 'Deny'; Principal?: unknown; Action: string | string[];
  Resource?: unknown; Condition?: Record<string, Record<string, unknown>>;
};
type PolicyDoc = { Statement: Statement[] };

/** Where AWS leaves no choice but a wildcard in a resource, and why; `actions` limits an entry to those actions. */
const WILDCARD_ALLOWED: { pattern: RegExp; actions?: string[]; denied?: string; why: string }[] = [
  {
    pattern: /^\*$/,
    actions: ['mediaconvert:Probe'],
    why: 'mediaconvert:Probe has no resource type in the Service Authorization Reference, so IAM only accepts "*"',
  },
  {
    pattern: /^\$\{VideoBucket\.Arn\}\/(sources|overlays|generated-videos)\/\*$/,
    why: 'objects under one prefix of our bucket: their keys (content hashes, job keys) exist only at run time',
  },
  {
    pattern: /^\$\{VideoBucket\.Arn\}\/\*$/,
    actions: ['s3:GetObject'],
    denied: '${VideoBucket.Arn}/generated-videos/*',
    why: 'clips may be anywhere in the bucket (the guide\'s holds the hotel\'s videos at its root); only with an explicit Deny on the renders',
  },
  {
    pattern: /^arn:\$\{AWS::Partition\}:mediaconvert:\$\{AWS::Region\}:\$\{AWS::AccountId\}:jobs\/\*$/,
    why: 'MediaConvert assigns job ids at CreateJob, so GetJob/CancelJob can only be scoped to this account\'s jobs',
  },
  {
    pattern: /^arn:\$\{AWS::Partition\}:logs:\$\{AWS::Region\}:\$\{AWS::AccountId\}:log-group:\$\{GeneratorLogGroup\}:log-stream:\*$/,
    why: 'Lambda creates one log stream per execution environment, named at run time',
  },
];

/** The stack's one bucket: the one it creates, or the existing one named by ExistingBucketName. */
const BUCKET_CHOICE = { 'Fn::If': ['CreatesBucket', { Ref: 'VideoBucket' }, { Ref: 'ExistingBucketName' }] };
const BUCKET_ARN_SUB = 'arn:${AWS::Partition}:s3:::${Bucket}';

/** Renders a resource value ("arn", !Sub, !GetAtt, !Ref) as one comparable string; the bucket as ${VideoBucket.Arn}. */
function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `\${${String(o.Ref)}}`;
    if ('Fn::GetAtt' in o) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::Sub' in o) {
      if (!Array.isArray(o['Fn::Sub'])) return String(o['Fn::Sub']);
      const [text, vars] = o['Fn::Sub'] as [string, Record<string, unknown>];
      if (text.startsWith(BUCKET_ARN_SUB)) {
        assert.deepEqual(vars, { Bucket: BUCKET_CHOICE }, `${text}: the bucket is the one the stack creates or the existing one`);
        return `\${VideoBucket.Arn}${text.slice(BUCKET_ARN_SUB.length)}`;
      }
      return text;
    }
  }
  return JSON.stringify(v);
}

const asList = <T,>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every permission policy in the template, labelled by where it lives. */
function policies(t: CfnTemplate): { where: string; doc: PolicyDoc }[] {
  const out: { where: string; doc: PolicyDoc }[] = [];
  for (const [name, res] of Object.entries(t.Resources)) {
    const p = res.Properties ?? {};
    if (res.Type === 'AWS::IAM::Role') {
      for (const inline of asList(p.Policies as { PolicyName: string; PolicyDocument: PolicyDoc }[])) {
        out.push({ where: `${name}/${inline.PolicyName}`, doc: inline.PolicyDocument });
      }
    }
    if (['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::S3::BucketPolicy'].includes(res.Type)) {
      out.push({ where: name, doc: p.PolicyDocument as PolicyDoc });
    }
  }
  return out;
}

/** Problems with policy scoping; empty means every grant is scoped. */
function scopeProblems(t: CfnTemplate): string[] {
  const problems: string[] = [];
  for (const { where, doc } of policies(t)) {
    for (const [i, st] of doc.Statement.entries()) {
      const label = `${where} statement ${st.Sid ?? i}`;
      if (st.Effect === 'Allow') {
        if (st.Principal !== undefined) problems.push(`${label}: Allow with a Principal (resource policies may only deny)`);
        for (const action of asList(st.Action)) {
          if (action.includes('*')) problems.push(`${label}: wildcard action ${action}`);
        }
      }
      const resources = asList(st.Resource);
      if (resources.length === 0) problems.push(`${label}: no Resource`);
      // A broad Deny only takes rights away (TLS-only bucket policy).
      if (st.Effect === 'Deny') continue;
      for (const r of resources.map(render)) {
        if (!r.includes('*')) continue;
        const actions = asList(st.Action);
        const deniedInSamePolicy = (resource: string) => doc.Statement.some((d) => d.Effect === 'Deny'
          && actions.every((x) => asList(d.Action).includes(x)) && asList(d.Resource).map(render).includes(resource));
        const allowed = WILDCARD_ALLOWED.some((a) =>
          a.pattern.test(r) && (!a.actions || actions.every((x) => a.actions!.includes(x))) && (!a.denied || deniedInSamePolicy(a.denied)));
        if (!allowed) {
          problems.push(`${label}: resource ${r} is not scoped`);
        }
      }
    }
  }
  return problems;
}

function statement(where: string, sid: string): Statement {
  const found = policies(template).find((p) => p.where === where)?.doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `statement ${sid} in ${where}`);
  return found;
}

function resource(name: string) {
  const r = template.Resources[name];
  assert.ok(r, `resource ${name} exists`);
  return r;
}

test('every policy resource is scoped; wildcards only where AWS requires them', () => {
  assert.deepEqual(scopeProblems(template), []);
});

test('the scope check catches a bare "*" resource, a wildcard action, and a bucket-wide read without the Deny on renders', () => {
  const broken = structuredClone(template);
  const doc = broken.Resources.AppUserPolicy.Properties!.PolicyDocument as PolicyDoc;
  doc.Statement.push({ Effect: 'Allow', Action: ['mediaconvert:Probe', 'mediaconvert:ListJobs'], Resource: '*' });
  doc.Statement.push({ Effect: 'Allow', Action: 's3:*', Resource: { 'Fn::Sub': '${VideoBucket.Arn}/sources/*' } });
  doc.Statement.push({ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Sub': '${VideoBucket.Arn}/*' } });
  const problems = scopeProblems(broken);
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems.join('\n'), /resource \* is not scoped/);
  assert.match(problems.join('\n'), /wildcard action s3:\*/);
  assert.match(problems.join('\n'), /\$\{VideoBucket\.Arn\}\/\* is not scoped/);
});

test('no *FullAccess policy anywhere', () => {
  const text = readFileSync(TEMPLATE_PATH, 'utf8');
  assert.doesNotMatch(text, /FullAccess/i);
  for (const [name, r] of Object.entries(template.Resources)) {
    assert.equal(r.Properties?.ManagedPolicyArns, undefined, `${name} attaches no AWS managed policy`);
  }
});

test('bucket: private, encrypted, TLS only, lifecycle rules', () => {
  const p = resource('VideoBucket').Properties!;
  assert.deepEqual(p.PublicAccessBlockConfiguration, {
    BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
  });
  const sse = (p.BucketEncryption as any).ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
  assert.equal(sse.SSEAlgorithm, 'AES256');
  const rules = (p.LifecycleConfiguration as any).Rules as any[];
  assert.ok(rules.some((r) => r.AbortIncompleteMultipartUpload && r.Status === 'Enabled' && !r.Prefix),
    'abort incomplete multipart uploads bucket-wide');
  assert.ok(rules.some((r) => r.Prefix === 'generated-videos/' && r.ExpirationInDays), 'optional expiry of renders');
  assert.equal(p.CorsConfiguration, undefined, 'no CORS: no browser reads the bucket');

  const tls = statement('VideoBucketPolicy', 'DenyInsecureTransport');
  assert.equal(tls.Effect, 'Deny');
  assert.equal(tls.Principal, '*');
  assert.equal(tls.Action, 's3:*');
  assert.deepEqual(asList(tls.Resource).map(render).sort(), ['${VideoBucket.Arn}', '${VideoBucket.Arn}/*']);
  assert.deepEqual(tls.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
});

test('MediaConvert role: trusted by MediaConvert of this account only; reads inputs, writes outputs, nothing else', () => {
  const role = resource('MediaConvertRole').Properties!;
  const trust = (role.AssumeRolePolicyDocument as PolicyDoc).Statement;
  assert.equal(trust.length, 1);
  assert.deepEqual(trust[0].Principal, { Service: 'mediaconvert.amazonaws.com' });
  assert.equal(render(trust[0].Condition!.StringEquals['aws:SourceAccount']), '${AWS::AccountId}');
  assert.equal(render(trust[0].Condition!.ArnLike['aws:SourceArn']),
    'arn:${AWS::Partition}:mediaconvert:${AWS::Region}:${AWS::AccountId}:*');

  const grants = (role.Policies as any[]).flatMap((p) => p.PolicyDocument.Statement as Statement[])
    .flatMap((s) => asList(s.Action).flatMap((a) => asList(s.Resource).map((r) => `${s.Effect} ${a} ${render(r)}`)));
  // Clips anywhere in the bucket (and overlays), never the renders; writes only renders.
  assert.deepEqual(grants.sort(), [
    'Allow s3:GetObject ${VideoBucket.Arn}/*',
    'Allow s3:PutObject ${VideoBucket.Arn}/generated-videos/*',
    'Deny s3:GetObject ${VideoBucket.Arn}/generated-videos/*',
  ]);
});

test('function role: MediaConvert job actions scoped, PassRole only for the MediaConvert role', () => {
  const where = 'GeneratorRole/Generator';
  const pass = statement(where, 'PassOnlyTheMediaConvertRole');
  assert.equal(pass.Action, 'iam:PassRole');
  assert.equal(render(pass.Resource), '${MediaConvertRole.Arn}');
  assert.deepEqual(pass.Condition, { StringEquals: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } });

  assert.match(render(statement(where, 'SubmitJobsToDefaultQueue').Resource), /:queues\/Default$/);
  assert.deepEqual(asList(statement(where, 'FollowAndCancelJobs').Action).sort(),
    ['mediaconvert:CancelJob', 'mediaconvert:GetJob']);

  const doc = policies(template).find((p) => p.where === where)!.doc;
  const s3Writes = doc.Statement.filter((s) => asList(s.Action).includes('s3:PutObject'))
    .flatMap((s) => asList(s.Resource).map(render));
  assert.deepEqual(s3Writes, ['${VideoBucket.Arn}/overlays/*'], 'the function writes overlays only');
});

test('app user policy: upload sources, download renders, invoke the function', () => {
  const where = 'AppUserPolicy';
  assert.equal(render(statement(where, 'UploadSources').Resource), '${VideoBucket.Arn}/sources/*');
  assert.ok(asList(statement(where, 'UploadSources').Action).includes('s3:AbortMultipartUpload'));
  assert.equal(render(statement(where, 'DownloadRenders').Resource), '${VideoBucket.Arn}/generated-videos/*');
  assert.equal(statement(where, 'DownloadRenders').Action, 's3:GetObject');
  const list = statement(where, 'BucketCheckAndDedupe');
  assert.deepEqual(list.Condition, { StringLikeIfExists: { 's3:prefix': ['sources/*'] } });
  const invoke = statement(where, 'InvokeGenerator');
  assert.equal(invoke.Action, 'lambda:InvokeFunction');
  assert.equal(render(invoke.Resource), '${GeneratorFunction.Arn}');
});

test('function: Node.js 22 on arm64, code from S3 parameters, log retention, alarm, reserved concurrency parameter', () => {
  const fn = resource('GeneratorFunction').Properties!;
  assert.equal(fn.Runtime, 'nodejs22.x');
  assert.deepEqual(fn.Architectures, ['arm64']);
  assert.deepEqual(fn.Code, { S3Bucket: { Ref: 'CodeS3Bucket' }, S3Key: { Ref: 'CodeS3Key' } });
  assert.deepEqual(fn.ReservedConcurrentExecutions,
    { 'Fn::If': ['HasReservedConcurrency', { Ref: 'ReservedConcurrency' }, { Ref: 'AWS::NoValue' }] });
  const env = (fn.Environment as any).Variables;
  assert.deepEqual(Object.keys(env).sort(),
    ['HOSPUP_FONT_DIR', 'HOSPUP_RESVG_WASM', 'MEDIA_CONVERT_ROLE_ARN', 'S3_BUCKET', 'S3_OUTPUT_PREFIX']);
  assert.equal(env.S3_OUTPUT_PREFIX, 'generated-videos/');
  assert.deepEqual(resource('GeneratorLogGroup').Properties!.RetentionInDays, { Ref: 'LogRetentionDays' });
  const alarm = resource('GeneratorErrorsAlarm').Properties!;
  assert.equal(alarm.MetricName, 'Errors');
  assert.equal(alarm.Namespace, 'AWS/Lambda');
});

test('parameters and outputs the app and deploy script rely on', () => {
  const params = template.Parameters!;
  assert.match('hospup-videos', new RegExp(params.BucketName.AllowedPattern!));
  assert.match('', new RegExp(params.BucketName.AllowedPattern!));
  assert.doesNotMatch('Hospup_Videos', new RegExp(params.BucketName.AllowedPattern!));
  for (const p of ['CodeS3Bucket', 'CodeS3Key', 'ReservedConcurrency', 'LogRetentionDays', 'GeneratedVideosExpirationDays']) {
    assert.ok(params[p], `parameter ${p}`);
  }
  for (const o of ['BucketName', 'FunctionName', 'Region', 'UserPolicyArn']) {
    assert.ok(template.Outputs?.[o], `output ${o}`);
  }
});

test('cfn-lint reports nothing (skipped when cfn-lint is not installed)', (t) => {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    t.skip('cfn-lint not on PATH; install it (pip install cfn-lint) to lint the template');
    return;
  }
  const run = spawnSync('cfn-lint', [TEMPLATE_PATH], { encoding: 'utf8' });
  assert.equal(`${run.stdout}${run.stderr}`.trim(), '', 'cfn-lint findings');
  assert.equal(run.status, 0);
});

test('an existing bucket (ExistingBucketName, the guide\'s): no bucket or bucket policy created, every grant names that bucket', async () => {
  const { resolveStack } = await import('../../cloud/local/iam/cfn-resolve');
  const deploy = (parameters: Record<string, string>) => resolveStack(template, {
    stackName: 'hospup', region: 'eu-west-1', accountId: '111122223333',
    parameters: { CodeS3Bucket: 'code', CodeS3Key: 'lambda/x.zip', ...parameters },
  });
  const existing = deploy({ ExistingBucketName: 'hospup-videos' });
  assert.equal(existing.resources.VideoBucket, undefined);
  assert.equal(existing.resources.VideoBucketPolicy, undefined);
  assert.equal(existing.outputs.BucketName, 'hospup-videos');
  assert.equal((existing.resources.GeneratorFunction.Properties.Environment as any).Variables.S3_BUCKET, 'hospup-videos');
  const s3Arns = JSON.stringify(existing.resources).match(/arn:aws:s3:::[^"]*/g) ?? [];
  assert.ok(s3Arns.length >= 8, `${s3Arns.length} S3 ARNs`);
  assert.deepEqual(s3Arns.filter((arn) => !/^arn:aws:s3:::hospup-videos(\/.*)?$/.test(arn)), []);

  const created = deploy({ BucketName: 'hotel-reels' });
  assert.ok(created.resources.VideoBucket && created.resources.VideoBucketPolicy);
  assert.equal(created.outputs.BucketName, 'hotel-reels');
  const rules = (created.resources.VideoBucket.Properties.LifecycleConfiguration as any).Rules as any[];
  assert.deepEqual(rules.find((r) => r.AbortIncompleteMultipartUpload), {
    Id: 'AbortIncompleteMultipartUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: '2' },
  });
});

test('a template read beside a build uses its parsed copy while the text is the same, and parses the YAML once it changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hospup-template-'));
  try {
    const yaml = join(dir, 'template.yaml');
    writeFileSync(yaml, 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n');
    writeParsedTemplate(yaml);
    assert.deepEqual(loadCfnTemplate(yaml).Resources.Bucket.Properties, { BucketName: { Ref: 'Name' } });
    // The parsed copy is what is read (marked here), not the YAML parsed again.
    const copy = JSON.parse(readFileSync(`${yaml}.json`, 'utf8'));
    copy.template.Resources.Bucket.Properties.Marked = true;
    writeFileSync(`${yaml}.json`, JSON.stringify(copy));
    assert.equal(loadCfnTemplate(yaml).Resources.Bucket.Properties?.Marked, true);
    // Edited beside the bundle: the copy no longer matches, the YAML wins.
    writeFileSync(yaml, 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Other\n');
    assert.deepEqual(loadCfnTemplate(yaml).Resources.Bucket.Properties, { BucketName: { Ref: 'Other' } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
