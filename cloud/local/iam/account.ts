/**
 * The local cloud's AWS account: who may sign requests (each principal's access keys) and what
 * each may do (the policies of the deployed template), answered for every S3, Lambda and
 * MediaConvert call. Principals:
 *   - app:   an IAM user with the stack's UserPolicyArn attached (what the desktop app signs with);
 *   - admin: an account administrator (AdministratorAccess) for setup work with the aws CLI;
 *   - the generation function's role session (temporary keys with a session token, as Lambda gives);
 *   - MediaConvert role sessions, one per job, assumed through the role's trust policy.
 */
import { randomBytes } from 'node:crypto';
import { createRunCredentials, type RunCredentials } from '../credentials';
import { evaluate, type AuthorizationRequest, type ContextValue, type Decision, type RequestPrincipal } from './evaluate';
import { parsePolicy, type Policy } from './policy';
import type { LocalStack, StackRole } from './local-stack';

export interface SigningKey {
  secretAccessKey: string;
  /** Temporary credentials must carry this token (x-amz-security-token). */
  sessionToken?: string;
}

export interface LocalPrincipal extends RequestPrincipal {
  /** Short name for logs and tests: app, admin, function, mediaconvert. */
  name: string;
  credentials: RunCredentials & { sessionToken?: string };
  identityPolicies: Policy[];
}

export type Authorization = { allowed: true } | { allowed: false; decision: Decision; message: string };

export interface AuthorizeInput {
  action: string;
  resource: string;
  context?: Record<string, ContextValue | undefined>;
}

/** AdministratorAccess, as AWS defines it. */
const ADMINISTRATOR_ACCESS = parsePolicy('AdministratorAccess', {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
}, 'identity');

export class LocalAccount {
  readonly app: LocalPrincipal;
  readonly admin: LocalPrincipal;
  readonly function: LocalPrincipal;
  private readonly byKey = new Map<string, LocalPrincipal>();

  constructor(readonly stack: LocalStack, options: { appCredentials?: RunCredentials; adminCredentials?: RunCredentials } = {}) {
    const account = stack.accountId;
    this.app = this.register({
      name: 'app',
      arn: `arn:aws:iam::${account}:user/hospup-app`,
      account,
      credentials: options.appCredentials ?? createRunCredentials(),
      identityPolicies: [stack.appUserPolicy],
    });
    this.admin = this.register({
      name: 'admin',
      arn: `arn:aws:iam::${account}:user/hospup-admin`,
      account,
      credentials: options.adminCredentials ?? createRunCredentials(),
      identityPolicies: [ADMINISTRATOR_ACCESS],
    });
    this.function = this.register(this.session('function', stack.functionRole, stack.functionName));
  }

  private register(principal: LocalPrincipal): LocalPrincipal {
    this.byKey.set(principal.credentials.accessKeyId, principal);
    return principal;
  }

  private session(name: string, role: StackRole, sessionName: string): LocalPrincipal {
    return {
      name,
      arn: `arn:aws:sts::${this.stack.accountId}:assumed-role/${role.name}/${sessionName}`,
      account: this.stack.accountId,
      roleArn: role.arn,
      credentials: { ...createRunCredentials(), sessionToken: randomBytes(48).toString('base64') },
      identityPolicies: role.policies,
    };
  }

  /** The key a request claims to be signed with; undefined for keys this account never issued. */
  signingKey(accessKeyId: string): SigningKey | undefined {
    const principal = this.byKey.get(accessKeyId);
    return principal && { secretAccessKey: principal.credentials.secretAccessKey, sessionToken: principal.credentials.sessionToken };
  }

  principal(accessKeyId: string): LocalPrincipal | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Identity policies, plus the resource's own policy (bucket policy) when it has one. */
  authorize(principal: LocalPrincipal, input: AuthorizeInput): Authorization {
    const request: AuthorizationRequest = {
      principal,
      action: input.action,
      resource: input.resource,
      context: {
        'aws:PrincipalArn': principal.roleArn ?? principal.arn,
        'aws:PrincipalAccount': principal.account,
        ...input.context,
      },
    };
    const decision = evaluate(request, { identity: principal.identityPolicies, resource: this.resourcePolicy(input.resource) });
    if (decision.result === 'Allowed') return { allowed: true };
    return { allowed: false, decision, message: accessDeniedMessage(principal, input, decision) };
  }

  private resourcePolicy(resource: string): Policy | undefined {
    const s3 = /^arn:aws:s3:::([^/]+)/.exec(resource);
    return s3 ? this.stack.bucketPolicies.get(s3[1]) : undefined;
  }

  /**
   * A service assuming a role for work it does on the caller's behalf (MediaConvert running a
   * job): the role must exist and its trust policy must let that service assume it in this
   * context. Returns the session, or which of the two failed.
   */
  assumeRoleForService(roleArn: string, service: string, context: Record<string, string>):
    | { ok: true; session: LocalPrincipal }
    | { ok: false; reason: 'no-such-role' | 'not-trusted'; message: string } {
    const role = this.stack.roles.get(roleArn);
    if (!role) return { ok: false, reason: 'no-such-role', message: `The role ${roleArn} does not exist.` };
    const decision = evaluate(
      { principal: { arn: service, account: this.stack.accountId, service }, action: 'sts:AssumeRole', resource: role.arn, context },
      { identity: [], resource: role.trust },
    );
    if (decision.result !== 'Allowed') {
      return { ok: false, reason: 'not-trusted', message: `The trust policy of ${roleArn} does not let ${service} assume it.` };
    }
    const session = this.register(this.session(service.split('.')[0], role, `${service.split('.')[0]}-${randomBytes(4).toString('hex')}`));
    return { ok: true, session };
  }

  /** Ends a session assumed for one job: its keys stop working. */
  endSession(session: LocalPrincipal): void {
    if (session.roleArn && session !== this.function) this.byKey.delete(session.credentials.accessKeyId);
  }
}

/**
 * AWS's enhanced access-denied wording ("Troubleshoot access denied (403 Forbidden) errors in
 * Amazon S3"; IAM's "Troubleshoot access denied error messages"). S3 quotes the resource.
 */
export function accessDeniedMessage(principal: RequestPrincipal, input: AuthorizeInput, decision: Decision): string {
  const resource = input.resource.startsWith('arn:aws:s3:') ? `"${input.resource}"` : input.resource;
  const head = `User: ${principal.arn} is not authorized to perform: ${input.action} on resource: ${resource}`;
  if (decision.result === 'ExplicitlyDenied') {
    return `${head} with an explicit deny in ${decision.by === 'resource' ? 'a resource-based' : 'an identity-based'} policy`;
  }
  return `${head} because no identity-based policy allows the ${input.action} action`;
}
