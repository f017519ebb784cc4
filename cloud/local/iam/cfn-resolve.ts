/**
 * CloudFormation's intrinsic functions, evaluated for one imagined deployment of a template
 * (the local cloud's "stack"): Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If and the condition
 * functions, with AWS::NoValue removing what it stands for. Pure: the caller names the
 * parameters and how resources are named, as CloudFormation would when it creates them.
 */
import type { CfnTemplate } from './cfn-yaml';

export interface StackContext {
  stackName: string;
  region: string;
  accountId: string;
  partition?: string;
  parameters: Record<string, string>;
}

/** Marks a value removed by AWS::NoValue. */
const NO_VALUE = Symbol('AWS::NoValue');

export class CfnResolveError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'CfnResolveError';
  }
}

export interface ResolvedStack {
  /** Resources whose Condition holds, with their properties resolved. */
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  /** `Ref` of each created resource (its physical id). */
  refs: Record<string, string>;
  outputs: Record<string, string>;
  conditions: Record<string, boolean>;
}

/** Physical names CloudFormation gives when the template names none: `<stack>-<logical id>`. */
function physicalName(stack: StackContext, logicalId: string): string {
  return `${stack.stackName}-${logicalId}`;
}

export function resolveStack(template: CfnTemplate, stack: StackContext): ResolvedStack {
  const partition = stack.partition ?? 'aws';
  const parameters: Record<string, string> = {};
  for (const [name, p] of Object.entries(template.Parameters ?? {})) {
    const value = stack.parameters[name] ?? (p.Default !== undefined ? String(p.Default) : undefined);
    if (value === undefined) throw new CfnResolveError(`Parameters.${name}`, 'has no default and no value was given');
    parameters[name] = value;
  }
  for (const name of Object.keys(stack.parameters)) {
    if (!(name in parameters)) throw new CfnResolveError(`Parameters.${name}`, 'is not a parameter of the template');
  }
  const pseudo: Record<string, string> = {
    'AWS::StackName': stack.stackName,
    'AWS::Region': stack.region,
    'AWS::AccountId': stack.accountId,
    'AWS::Partition': partition,
    'AWS::URLSuffix': 'amazonaws.com',
  };

  const conditions: Record<string, boolean> = {};
  const conditionValue = (name: string, trail: string[] = []): boolean => {
    if (name in conditions) return conditions[name];
    const body = template.Conditions?.[name];
    if (body === undefined) throw new CfnResolveError(`Conditions.${name}`, 'is not defined');
    if (trail.includes(name)) throw new CfnResolveError(`Conditions.${name}`, 'refers to itself');
    const value = evaluateCondition(body, `Conditions.${name}`, [...trail, name]);
    conditions[name] = value;
    return value;
  };
  const evaluateCondition = (body: unknown, where: string, trail: string[]): boolean => {
    const [fn, arg] = single(body, where);
    const args = Array.isArray(arg) ? arg : [arg];
    switch (fn) {
      case 'Fn::Equals':
        return String(resolve(args[0], where)) === String(resolve(args[1], where));
      case 'Fn::Not':
        return !evaluateCondition(args[0], where, trail);
      case 'Fn::And':
        return args.every((a) => evaluateCondition(a, where, trail));
      case 'Fn::Or':
        return args.some((a) => evaluateCondition(a, where, trail));
      case 'Condition':
        return conditionValue(String(arg), trail);
      default:
        throw new CfnResolveError(where, `${fn} is not a condition function`);
    }
  };

  const created = (logicalId: string): boolean => {
    const resource = template.Resources[logicalId];
    return resource !== undefined && (typeof resource.Condition !== 'string' || conditionValue(resource.Condition));
  };

  // Names come first: they only depend on parameters, and ARNs are built from them.
  const NAME_PROPERTY: Record<string, string> = {
    'AWS::S3::Bucket': 'BucketName',
    'AWS::IAM::Role': 'RoleName',
    'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::Logs::LogGroup': 'LogGroupName',
  };
  const names: Record<string, string> = {};
  const nameOf = (logicalId: string, where: string): string => {
    if (logicalId in names) return names[logicalId];
    const resource = template.Resources[logicalId];
    if (!resource) throw new CfnResolveError(where, `refers to ${logicalId}, which is not a resource of the template`);
    if (!created(logicalId)) throw new CfnResolveError(where, `refers to ${logicalId}, which this deployment does not create (condition ${String(resource.Condition)})`);
    const property = NAME_PROPERTY[resource.Type];
    const given = property ? resolve(resource.Properties?.[property], `Resources.${logicalId}.${property}`) : NO_VALUE;
    names[logicalId] = given === NO_VALUE || given === undefined || given === '' ? physicalName(stack, logicalId) : String(given);
    return names[logicalId];
  };
  const arnOf = (logicalId: string, where: string): string => {
    const name = nameOf(logicalId, where);
    const { Type } = template.Resources[logicalId];
    const at = `${stack.region}:${stack.accountId}`;
    switch (Type) {
      case 'AWS::S3::Bucket': return `arn:${partition}:s3:::${name}`;
      case 'AWS::IAM::Role': return `arn:${partition}:iam::${stack.accountId}:role/${name}`;
      case 'AWS::IAM::ManagedPolicy': return `arn:${partition}:iam::${stack.accountId}:policy/${name}`;
      case 'AWS::Lambda::Function': return `arn:${partition}:lambda:${at}:function:${name}`;
      case 'AWS::Logs::LogGroup': return `arn:${partition}:logs:${at}:log-group:${name}:*`;
      default: throw new CfnResolveError(where, `Arn of a ${Type} is not known to the local resolver`);
    }
  };
  const refOf = (name: string, where: string): string | typeof NO_VALUE => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in pseudo) return pseudo[name];
    if (name in parameters) return parameters[name];
    const resource = template.Resources[name];
    if (!resource) throw new CfnResolveError(where, `Ref to unknown name ${name}`);
    // A managed policy's Ref is its ARN; the others' is their name.
    return resource.Type === 'AWS::IAM::ManagedPolicy' ? arnOf(name, where) : nameOf(name, where);
  };
  const getAtt = (logicalId: string, attribute: string, where: string): string => {
    if (attribute === 'Arn') return arnOf(logicalId, where);
    throw new CfnResolveError(where, `Fn::GetAtt ${logicalId}.${attribute} is not known to the local resolver`);
  };
  const substitute = (text: string, variables: Record<string, unknown>, where: string): string =>
    text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`; // ${!Literal}
      if (name in variables) return String(resolve(variables[name], where));
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return getAtt(name.slice(0, dot), name.slice(dot + 1), where);
      const value = refOf(name, where);
      if (value === NO_VALUE) throw new CfnResolveError(where, 'AWS::NoValue inside Fn::Sub');
      return value;
    });

  function resolve(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((v, i) => resolve(v, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
    }
    if (!value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const [fn, arg] = [keys[0], record[keys[0]]];
      switch (fn) {
        case 'Ref':
          return refOf(String(arg), where);
        case 'Fn::GetAtt': {
          const [id, attribute] = arg as [string, string];
          return getAtt(id, attribute, where);
        }
        case 'Fn::Sub': {
          if (typeof arg === 'string') return substitute(arg, {}, where);
          const [text, variables] = arg as [string, Record<string, unknown>];
          return substitute(text, variables ?? {}, where);
        }
        case 'Fn::Join': {
          const [separator, list] = arg as [string, unknown[]];
          return (resolve(list, where) as unknown[]).map(String).join(separator);
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
          return resolve(conditionValue(condition) ? whenTrue : whenFalse, where);
        }
        default:
          throw new CfnResolveError(where, `${fn} is not supported by the local resolver`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const v = resolve(record[key], `${where}.${key}`);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out;
  }

  const resources: ResolvedStack['resources'] = {};
  const refs: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!created(id)) continue;
    resources[id] = { Type: resource.Type, Properties: (resolve(resource.Properties ?? {}, `Resources.${id}.Properties`) as Record<string, unknown>) };
    refs[id] = String(refOf(id, `Resources.${id}`));
  }
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const condition = (output as { Condition?: unknown }).Condition;
    if (typeof condition === 'string' && !conditionValue(condition)) continue;
    outputs[name] = String(resolve(output.Value, `Outputs.${name}`));
  }
  for (const name of Object.keys(template.Conditions ?? {})) conditionValue(name);
  return { resources, refs, outputs, conditions };
}

function single(body: unknown, where: string): [string, unknown] {
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length !== 1) {
    throw new CfnResolveError(where, 'expected one intrinsic function');
  }
  const [key] = Object.keys(body);
  return [key, (body as Record<string, unknown>)[key]];
}
