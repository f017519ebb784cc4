/**
 * The local cloud's Lambda API: Invoke (RequestResponse / Event / DryRun), GetFunction and
 * GetFunctionConfiguration, over the same REST wire format as AWS so @aws-sdk/client-lambda and
 * the aws CLI work unchanged. Handlers run in-process. Requests are SigV4-verified (service
 * `lambda`), then authorised by the account's IAM policies (lambda:InvokeFunction, ...).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RunCredentials } from './credentials';
import { BodyTooLargeError, closeServer, listen, newUuid, readBody } from './http-util';
import { parseRawQuery, verifySigV4, type KeyLookup } from './sigv4';
import { LOCAL_ACCOUNT_ID } from './iam/local-stack';

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export type LocalLambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface LambdaServerOptions {
  host?: string;
  port?: number;
  /** One key pair (every signed request allowed), or the account's keys with `authorize`. */
  credentials: RunCredentials | KeyLookup;
  /** IAM: may the holder of this key do this? Absent: every correctly signed request may. */
  authorize?: (accessKeyId: string, check: { action: string; resource: string; context: Record<string, string> }) =>
    { allowed: true } | { allowed: false; message: string };
  region: string;
  functions: Record<string, LocalLambdaHandler>;
  /** Per-invocation time limit, like the function's Timeout setting. Default 900 s (Lambda's max). */
  timeoutMs?: number;
  /** Where errors of Event (async) invocations go; default console.error. */
  onAsyncError?: (functionName: string, requestId: string, error: unknown) => void;
}

export interface LambdaServerHandle {
  endpoint: string;
  /** Stops the server after in-flight Event invocations settle. */
  close(): Promise<void>;
}

export { LOCAL_ACCOUNT_ID };
const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const FUNCTION_PATH = /^\/2015-03-31\/functions\/([^/]+)(\/configuration)?$/;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** `name`, `name:qualifier`, `123:function:name`, or a full function ARN -> name and qualifier. */
export function parseFunctionName(value: string): { name: string; qualifier?: string } {
  const arn = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(value);
  if (arn) return { name: arn[1], qualifier: arn[2] };
  const plain = /^([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(value);
  if (plain) return { name: plain[1], qualifier: plain[2] };
  return { name: value };
}

export function functionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}

/** The payload real Lambda (Node.js runtime) returns for an uncaught error. */
export function errorPayload(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n').filter((l) => l.length > 0),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

class TimeoutError extends Error {}

export async function startLambdaServer(options: LambdaServerOptions): Promise<LambdaServerHandle> {
  const timeoutMs = options.timeoutMs ?? 900_000;
  const pending = new Set<Promise<unknown>>();
  const onAsyncError =
    options.onAsyncError ??
    ((name, requestId, error) => console.error(`[local-lambda] ${name} ${requestId} failed:`, error));

  const lookup = (raw: string, qualifierParam: string | undefined) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      throw new ApiError(400, 'InvalidParameterValueException', 'FunctionName is not valid percent-encoding');
    }
    const { name, qualifier: fromName } = parseFunctionName(decoded);
    const qualifier = qualifierParam ?? fromName;
    return { name, qualifier };
  };
  const find = ({ name, qualifier }: { name: string; qualifier?: string }) => {
    const handler = Object.hasOwn(options.functions, name) ? options.functions[name] : undefined;
    if (!handler || (qualifier !== undefined && qualifier !== '$LATEST')) {
      const arn = functionArn(options.region, name) + (qualifier ? `:${qualifier}` : '');
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
    }
    return { name, handler };
  };

  const runHandler = (name: string, handler: LocalLambdaHandler, event: unknown, requestId: string) => {
    const deadline = Date.now() + timeoutMs;
    const context: LambdaContext = {
      awsRequestId: requestId,
      functionName: name,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), timeoutMs);
    });
    return Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]).finally(() => clearTimeout(timer));
  };

  const configuration = (name: string) => ({
    FunctionName: name,
    FunctionArn: functionArn(options.region, name),
    Runtime: 'nodejs20.x',
    Role: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/hospup-local`,
    Handler: 'index.handler',
    CodeSize: 0,
    Description: 'Hospup local cloud (in-process handler)',
    Timeout: Math.ceil(timeoutMs / 1000),
    MemorySize: 1024,
    LastModified: new Date(0).toISOString().replace('Z', '+0000'),
    Version: '$LATEST',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = newUuid();
    res.setHeader('x-amzn-RequestId', requestId);
    try {
      const rawUrl = req.url ?? '/';
      const q = rawUrl.indexOf('?');
      const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
      const query = new Map(parseRawQuery(q < 0 ? '' : rawUrl.slice(q + 1)) ?? []);
      const invocationType = (req.headers['x-amz-invocation-type'] as string | undefined) ?? 'RequestResponse';
      const limit = invocationType === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
      let body: Buffer;
      try {
        body = await readBody(req, limit);
      } catch (err) {
        if (err instanceof BodyTooLargeError) {
          throw new ApiError(413, 'RequestTooLargeException', `Request must be smaller than ${limit} bytes for the ${invocationType} invocation type`);
        }
        throw err;
      }
      const verdict = verifySigV4({ method: req.method ?? 'GET', path: rawUrl, headers: req.headers, body }, options.credentials, {
        region: options.region,
        service: 'lambda',
      });
      if (!verdict.ok) {
        const type =
          verdict.code === 'InvalidAccessKeyId' || verdict.code === 'InvalidToken'
            ? 'UnrecognizedClientException'
            : verdict.code === 'SignatureDoesNotMatch'
              ? 'InvalidSignatureException'
              : verdict.code === 'AccessDenied'
                ? 'MissingAuthenticationTokenException'
                : verdict.code;
        throw new ApiError(403, type, verdict.code === 'InvalidToken' ? 'The security token included in the request is invalid.' : verdict.message);
      }
      // IAM is asked before the function is looked up: without the permission, a missing function is not revealed.
      const authorize = (action: string, target: { name: string; qualifier?: string }) => {
        const answer = options.authorize?.(verdict.auth.accessKeyId, {
          action,
          resource: functionArn(options.region, target.name) + (target.qualifier ? `:${target.qualifier}` : ''),
          context: {},
        });
        if (answer && !answer.allowed) throw new ApiError(403, 'AccessDeniedException', answer.message);
      };

      const invoke = INVOKE_PATH.exec(rawPath);
      if (invoke && req.method === 'POST') {
        const target = lookup(invoke[1], query.get('Qualifier'));
        authorize('lambda:InvokeFunction', target);
        const { name, handler } = find(target);
        let event: unknown = {};
        if (body.length > 0) {
          try {
            event = JSON.parse(body.toString('utf8'));
          } catch {
            throw new ApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json: the payload is not valid JSON');
          }
        }
        res.setHeader('X-Amz-Executed-Version', '$LATEST');
        if (invocationType === 'DryRun') {
          res.statusCode = 204;
          res.end();
          return;
        }
        if (invocationType === 'Event') {
          const run = runHandler(name, handler, event, requestId).catch((err) => onAsyncError(name, requestId, err));
          pending.add(run);
          void run.finally(() => pending.delete(run));
          res.statusCode = 202;
          res.end();
          return;
        }
        if (invocationType !== 'RequestResponse') {
          throw new ApiError(400, 'InvalidParameterValueException', `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not '${invocationType}'`);
        }
        let payload: string;
        try {
          const result = await runHandler(name, handler, event, requestId);
          payload = result === undefined ? 'null' : JSON.stringify(result);
        } catch (err) {
          const out =
            err instanceof TimeoutError
              ? {
                  errorType: 'Sandbox.Timedout',
                  errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
                }
              : errorPayload(err);
          res.setHeader('X-Amz-Function-Error', 'Unhandled');
          payload = JSON.stringify(out);
        }
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json');
        if (req.headers['x-amz-log-type'] === 'Tail') {
          const log = `START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\n`;
          res.setHeader('X-Amz-Log-Result', Buffer.from(log).toString('base64'));
        }
        res.end(payload);
        return;
      }
      const fn = FUNCTION_PATH.exec(rawPath);
      if (fn && req.method === 'GET') {
        const target = lookup(fn[1], query.get('Qualifier'));
        authorize(fn[2] ? 'lambda:GetFunctionConfiguration' : 'lambda:GetFunction', target);
        const { name } = find(target);
        const config = configuration(name);
        const out = fn[2] ? config : { Configuration: config, Code: { RepositoryType: 'S3', Location: '' } };
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(out));
        return;
      }
      throw new ApiError(404, 'UnknownOperationException', `No Lambda operation at ${req.method} ${rawPath}`);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(500, 'ServiceException', 'internal error in the local Lambda server');
      if (!(err instanceof ApiError)) console.error('[local-lambda] internal error', err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (!req.complete) res.setHeader('Connection', 'close');
      res.statusCode = apiError.status;
      res.setHeader('x-amzn-ErrorType', apiError.type);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ Type: 'User', message: apiError.message }));
    }
  };

  const server = createServer({ requestTimeout: 0 }, (req, res) => void handle(req, res));
  const endpoint = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    endpoint,
    close: async () => {
      const closing = closeServer(server);
      await Promise.allSettled([...pending]);
      await closing;
    },
  };
}
