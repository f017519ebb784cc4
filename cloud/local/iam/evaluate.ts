/**
 * AWS's policy evaluation logic for requests inside one account, as a pure function.
 *
 * Follows "Policy evaluation logic" and "Policy evaluation for requests within a single account"
 * of the IAM User Guide: every request starts implicitly denied; an explicit Deny in any
 * applicable policy wins; otherwise an Allow in an identity-based policy OR in the resource-based
 * policy (naming the principal itself) allows it. Conditions follow "IAM JSON policy elements:
 * Condition operators" (missing keys, IfExists, negated operators, ForAnyValue/ForAllValues).
 * Not modelled because nothing here uses them: SCPs/RCPs, permission boundaries, session policies,
 * cross-account requests. test/unit/iam-evaluate.test.ts cross-checks decisions against
 * @cloud-copilot/iam-simulate.
 */
import type { ConditionTest, Matcher, Policy, PrincipalSet, Statement } from './policy';

export interface RequestPrincipal {
  /** `arn:aws:iam::111122223333:user/name` or `arn:aws:sts::111122223333:assumed-role/Role/session`. */
  arn: string;
  account: string;
  /** For role sessions: the role's ARN, which resource policies name. */
  roleArn?: string;
  /** For AWS service principals (a role's trust policy): `mediaconvert.amazonaws.com`. */
  service?: string;
}

export type ContextValue = string | string[];

export interface AuthorizationRequest {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  /** Condition keys of the request (`aws:SecureTransport`, `s3:prefix`, ...); absent keys are omitted. */
  context: Record<string, ContextValue | undefined>;
}

export type Decision =
  | { result: 'Allowed'; by: 'identity' | 'resource'; statement: StatementRef }
  | { result: 'ExplicitlyDenied'; by: 'identity' | 'resource'; statement: StatementRef }
  | { result: 'ImplicitlyDenied' };

export interface StatementRef {
  policy: string;
  sid?: string;
}

export interface ApplicablePolicies {
  identity: Policy[];
  /** The resource's own policy (bucket policy, role trust policy), if it has one. */
  resource?: Policy;
}

export function evaluate(request: AuthorizationRequest, policies: ApplicablePolicies): Decision {
  const matching = (policy: Policy, kind: 'identity' | 'resource') =>
    policy.statements.filter((s) => statementApplies(s, request, kind)).map((s) => ({ s, ref: { policy: policy.name, sid: s.sid } }));
  const identity = policies.identity.flatMap((p) => matching(p, 'identity'));
  const resource = policies.resource ? matching(policies.resource, 'resource') : [];

  const identityDeny = identity.find((m) => m.s.effect === 'Deny');
  if (identityDeny) return { result: 'ExplicitlyDenied', by: 'identity', statement: identityDeny.ref };
  const resourceDeny = resource.find((m) => m.s.effect === 'Deny');
  if (resourceDeny) return { result: 'ExplicitlyDenied', by: 'resource', statement: resourceDeny.ref };

  const identityAllow = identity.find((m) => m.s.effect === 'Allow');
  if (identityAllow) return { result: 'Allowed', by: 'identity', statement: identityAllow.ref };
  // Same account: a resource policy grants on its own only when it names the principal itself;
  // naming the account root delegates to the account's identity policies.
  const resourceAllow = resource.find((m) => m.s.effect === 'Allow' && !m.s.principals!.not && grantsDirectly(m.s.principals!.values, request.principal));
  if (resourceAllow) return { result: 'Allowed', by: 'resource', statement: resourceAllow.ref };
  return { result: 'ImplicitlyDenied' };
}

function statementApplies(s: Statement, request: AuthorizationRequest, kind: 'identity' | 'resource'): boolean {
  if (!negatable(s.actions, (patterns) => patterns.some((p) => actionMatches(p, request.action)))) return false;
  if (!negatable(s.resources, (patterns) => patterns.some((p) => resourceMatches(p, request.resource)))) return false;
  if (kind === 'resource' && !negatable(s.principals!, (set) => principalMatches(set, request.principal))) return false;
  return s.conditions.every((c) => conditionHolds(c, request.context[c.key]));
}

function negatable<T>(matcher: Matcher<T>, matches: (values: T) => boolean): boolean {
  return matcher.not ? !matches(matcher.values) : matches(matcher.values);
}

/** `*` and `?` wildcards; everything else literal. */
function globToRegExp(pattern: string, flags = ''): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags + 's');
}

export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  return globToRegExp(pattern, ignoreCase ? 'i' : '').test(value);
}

/** Actions are case-insensitive: `s3:getobject` names s3:GetObject. */
export function actionMatches(pattern: string, action: string): boolean {
  return pattern === '*' || globMatches(pattern, action, true);
}

/**
 * ARNs match component by component (partition, service, region, account), wildcards allowed in
 * each; the resource part (which may hold colons and slashes) is matched as a whole.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return globMatches(pattern, arn);
  return p.every((part, i) => globMatches(part, a[i]));
}

function splitArn(value: string): string[] | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

export const resourceMatches = arnMatches;

function principalIds(p: RequestPrincipal): string[] {
  return [p.arn, ...(p.roleArn ? [p.roleArn] : []), `arn:aws:iam::${p.account}:root`, p.account];
}

function principalMatches(set: PrincipalSet, p: RequestPrincipal): boolean {
  if (set.everyone) return true;
  if (p.service) return set.service.includes(p.service);
  const ids = principalIds(p);
  return set.aws.some((value) => ids.includes(value));
}

function grantsDirectly(set: PrincipalSet, p: RequestPrincipal): boolean {
  if (set.everyone) return true;
  if (p.service) return set.service.includes(p.service);
  return set.aws.some((value) => value === p.arn || value === p.roleArn);
}

// ---- conditions ------------------------------------------------------------------------------

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'NumericNotEquals']);

function positiveMatch(operator: ConditionTest['operator'], actual: string, expected: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return actual === expected;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return globMatches(expected, actual);
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return arnMatches(expected, actual);
    case 'Bool':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'NumericEquals':
    case 'NumericNotEquals':
      return Number(actual) === Number(expected);
    case 'NumericLessThan':
      return Number(actual) < Number(expected);
    case 'NumericLessThanEquals':
      return Number(actual) <= Number(expected);
    case 'NumericGreaterThan':
      return Number(actual) > Number(expected);
    case 'NumericGreaterThanEquals':
      return Number(actual) >= Number(expected);
    case 'Null':
      return false; // handled in conditionHolds
  }
}

/** One context value against the condition's values: OR over them, NOR for negated operators. */
function valueSatisfies(c: ConditionTest, actual: string): boolean {
  const any = c.values.some((expected) => positiveMatch(c.operator, actual, expected));
  return NEGATED.has(c.operator) ? !any : any;
}

export function conditionHolds(c: ConditionTest, value: ContextValue | undefined): boolean {
  const present = value !== undefined && !(Array.isArray(value) && value.length === 0);
  if (c.operator === 'Null') {
    // "true": the key must be absent; "false": it must be present.
    return c.values.some((v) => (v.toLowerCase() === 'true') === !present);
  }
  const actuals = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (c.set === 'ForAllValues') return actuals.every((a) => valueSatisfies(c, a));
  if (!present) {
    if (c.ifExists) return true;
    if (c.set === 'ForAnyValue') return false;
    // A missing key matches nothing: positive operators fail, negated ones hold.
    return NEGATED.has(c.operator);
  }
  return actuals.some((a) => valueSatisfies(c, a));
}
