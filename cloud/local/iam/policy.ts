/**
 * IAM policy documents, parsed once into a normalised form the evaluator trusts.
 *
 * Only the grammar of AWS's "IAM JSON policy elements reference" that we can evaluate exactly is
 * accepted: a policy using anything else (an unknown condition operator, a policy variable) is
 * refused when the local cloud loads it, never evaluated approximately.
 */
import { z } from 'zod';

export type Effect = 'Allow' | 'Deny';

/** A list element that may be negated (NotAction, NotResource, NotPrincipal). */
export interface Matcher<T> {
  not: boolean;
  values: T;
}

export interface PrincipalSet {
  /** `"*"` or `{"AWS": "*"}`: everyone (authenticated or not). */
  everyone: boolean;
  /** IAM ARNs (users, roles, account roots) and bare account ids. */
  aws: string[];
  /** Service principals, e.g. `mediaconvert.amazonaws.com`. */
  service: string[];
}

export interface ConditionTest {
  /** The operator without qualifier and suffix: StringEquals, ArnLike, Bool, ... */
  operator: ConditionOperator;
  ifExists: boolean;
  set?: 'ForAnyValue' | 'ForAllValues';
  key: string;
  values: string[];
}

export interface Statement {
  sid?: string;
  effect: Effect;
  actions: Matcher<string[]>;
  resources: Matcher<string[]>;
  /** Only in resource-based policies (bucket policies, trust policies). */
  principals?: Matcher<PrincipalSet>;
  conditions: ConditionTest[];
}

export interface Policy {
  /** Where the policy comes from, for messages: `GeneratorRole/Generator`, `VideoBucketPolicy`. */
  name: string;
  statements: Statement[];
}

export const CONDITION_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'Bool', 'Null',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const stringOrList = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const conditionValues = z.union([scalar, z.array(scalar).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const principal = z.union([
  z.literal('*').transform((): PrincipalSet => ({ everyone: true, aws: [], service: [] })),
  z.object({
    AWS: stringOrList.optional(),
    Service: stringOrList.optional(),
  }).strict().transform((p): PrincipalSet => ({
    everyone: p.AWS?.includes('*') ?? false,
    aws: (p.AWS ?? []).filter((a) => a !== '*'),
    service: p.Service ?? [],
  })),
]);

const conditionBlock = z.record(z.string(), z.record(z.string(), conditionValues));

const statementSchema = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: stringOrList.optional(),
  NotAction: stringOrList.optional(),
  Resource: stringOrList.optional(),
  NotResource: stringOrList.optional(),
  Principal: principal.optional(),
  NotPrincipal: principal.optional(),
  Condition: conditionBlock.optional(),
}).strict();

const documentSchema = z.object({
  Version: z.literal('2012-10-17'),
  Id: z.string().optional(),
  Statement: z.union([statementSchema, z.array(statementSchema).min(1)]).transform((s) => (Array.isArray(s) ? s : [s])),
}).strict();

export class PolicyError extends Error {
  constructor(readonly policy: string, message: string) {
    super(`${policy}: ${message}`);
    this.name = 'PolicyError';
  }
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; refuses operators we do not evaluate. */
function parseOperator(raw: string, where: string): Pick<ConditionTest, 'operator' | 'ifExists' | 'set'> {
  let name = raw;
  let set: ConditionTest['set'];
  const colon = name.indexOf(':');
  if (colon >= 0) {
    const qualifier = name.slice(0, colon);
    if (qualifier !== 'ForAnyValue' && qualifier !== 'ForAllValues') throw new PolicyError(where, `unknown condition qualifier "${qualifier}"`);
    set = qualifier;
    name = name.slice(colon + 1);
  }
  const ifExists = name.endsWith('IfExists') && name !== 'Null';
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  if (!(CONDITION_OPERATORS as readonly string[]).includes(name)) {
    throw new PolicyError(where, `condition operator "${raw}" is not supported by the local cloud's policy engine`);
  }
  return { operator: name as ConditionOperator, ifExists, set };
}

function oneOf<T>(a: T | undefined, notA: T | undefined, names: [string, string], where: string, required: boolean): Matcher<T> | undefined {
  if (a !== undefined && notA !== undefined) throw new PolicyError(where, `${names[0]} and ${names[1]} cannot both be given`);
  if (a === undefined && notA === undefined) {
    if (required) throw new PolicyError(where, `needs ${names[0]} or ${names[1]}`);
    return undefined;
  }
  return a !== undefined ? { not: false, values: a } : { not: true, values: notA as T };
}

function refuseVariables(values: string[], where: string): void {
  const variable = values.find((v) => v.includes('${'));
  if (variable) throw new PolicyError(where, `policy variables are not supported by the local cloud's policy engine (${variable})`);
}

/**
 * Parses a policy document (JSON, CloudFormation intrinsics already resolved).
 * `kind` says whether statements must (resource policies) or must not (identity policies) name principals.
 */
export function parsePolicy(name: string, document: unknown, kind: 'identity' | 'resource'): Policy {
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PolicyError(name, `${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  const statements = parsed.data.Statement.map((s, i): Statement => {
    const where = `${name} statement ${s.Sid ?? i}`;
    const actions = oneOf(s.Action, s.NotAction, ['Action', 'NotAction'], where, true)!;
    const resources = oneOf(s.Resource, s.NotResource, ['Resource', 'NotResource'], where, kind === 'identity')
      ?? { not: false, values: ['*'] };
    const principals = oneOf(s.Principal, s.NotPrincipal, ['Principal', 'NotPrincipal'], where, kind === 'resource');
    if (kind === 'identity' && principals) throw new PolicyError(where, 'an identity-based policy cannot name a Principal');
    if (principals?.not && s.Effect === 'Allow') throw new PolicyError(where, 'NotPrincipal can only be used with Deny');
    refuseVariables([...actions.values, ...resources.values], where);
    const conditions: ConditionTest[] = [];
    for (const [rawOperator, tests] of Object.entries(s.Condition ?? {})) {
      const operator = parseOperator(rawOperator, where);
      for (const [key, values] of Object.entries(tests)) {
        refuseVariables(values, where);
        conditions.push({ ...operator, key, values });
      }
    }
    return { sid: s.Sid, effect: s.Effect, actions, resources, principals, conditions };
  });
  return { name, statements };
}
