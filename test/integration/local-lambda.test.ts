/** The local Lambda Invoke API through the real @aws-sdk/client-lambda. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createRunCredentials } from '../../cloud/local/credentials';
import { startLambdaServer, type LambdaContext, type LambdaServerHandle } from '../../cloud/local/lambda-server';

const REGION = 'eu-west-3';
const credentials = createRunCredentials();
const decode = (payload?: Uint8Array) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('local Lambda API with the AWS SDK v3', () => {
  let server: LambdaServerHandle;
  let lambda: LambdaClient;
  const events: unknown[] = [];
  let resolveEvent: (value: unknown) => void;
  let eventSeen = new Promise((r) => (resolveEvent = r));
  let lastContext: LambdaContext | undefined;

  before(async () => {
    server = await startLambdaServer({
      credentials,
      region: REGION,
      timeoutMs: 300,
      functions: {
        echo: async (event, context) => {
          lastContext = context;
          return { event, requestId: context.awsRequestId, name: context.functionName, remaining: context.getRemainingTimeInMillis() };
        },
        fail: async () => {
          throw new TypeError('segments[0].end_time: must be a number');
        },
        slow: () => new Promise((r) => setTimeout(r, 2000)),
        background: async (event) => {
          events.push(event);
          resolveEvent(event);
          return 'ignored';
        },
      },
    });
    lambda = new LambdaClient({ endpoint: server.endpoint, region: REGION, credentials });
  });

  after(async () => {
    lambda?.destroy();
    await server?.close();
  });

  it('runs RequestResponse invocations and returns the handler result', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: encode({ action: 'status', job_id: 'j1' }) }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const body = decode(out.Payload);
    assert.deepEqual(body.event, { action: 'status', job_id: 'j1' });
    assert.equal(body.name, 'echo');
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    assert.ok(body.remaining > 0 && body.remaining <= 300);
    assert.equal(out.$metadata.requestId, lastContext?.awsRequestId);
  });

  it('accepts a function ARN and the $LATEST qualifier', async () => {
    const arn = `arn:aws:lambda:${REGION}:000000000000:function:echo`;
    const out = await lambda.send(new InvokeCommand({ FunctionName: arn, Qualifier: '$LATEST', Payload: encode({ n: 1 }) }));
    assert.deepEqual(decode(out.Payload).event, { n: 1 });
    const get = await lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    assert.equal(get.Configuration?.FunctionArn, arn);
    assert.equal(get.Configuration?.State, 'Active');
  });

  it('reports a thrown error like real Lambda (200 + X-Amz-Function-Error: Unhandled)', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'fail', Payload: encode({}) }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const body = decode(out.Payload);
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, 'segments[0].end_time: must be a number');
    assert.ok(Array.isArray(body.trace));
  });

  it('times out a handler that runs past the function timeout', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(decode(out.Payload).errorType, 'Sandbox.Timedout');
  });

  it('runs Event invocations in the background (202) and DryRun without running (204)', async () => {
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'background', InvocationType: 'Event', Payload: encode({ job: 'async' }) }));
    assert.equal(queued.StatusCode, 202);
    assert.deepEqual(await eventSeen, { job: 'async' });
    eventSeen = new Promise((r) => (resolveEvent = r));
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'background', InvocationType: 'DryRun', Payload: encode({ job: 'dry' }) }));
    assert.equal(dry.StatusCode, 204);
    assert.deepEqual(events, [{ job: 'async' }]);
  });

  it('answers ResourceNotFoundException for unknown functions and qualifiers', async () => {
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'nope' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'ResourceNotFoundException');
      assert.equal(err.$metadata?.httpStatusCode, 404);
      assert.match(err.message, /Function not found: arn:aws:lambda:eu-west-3:000000000000:function:nope/);
      return true;
    });
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'live' })), { name: 'ResourceNotFoundException' });
  });

  it('refuses a wrong secret and an unknown access key', async () => {
    const wrong = new LambdaClient({ endpoint: server.endpoint, region: REGION, credentials: { ...credentials, secretAccessKey: 'z'.repeat(40) } });
    await assert.rejects(wrong.send(new InvokeCommand({ FunctionName: 'echo' })), { name: 'InvalidSignatureException' });
    const unknown = new LambdaClient({ endpoint: server.endpoint, region: REGION, credentials: { accessKeyId: 'AKIAOTHER00000000000', secretAccessKey: credentials.secretAccessKey } });
    await assert.rejects(unknown.send(new InvokeCommand({ FunctionName: 'echo' })), { name: 'UnrecognizedClientException' });
    wrong.destroy();
    unknown.destroy();
  });
});
