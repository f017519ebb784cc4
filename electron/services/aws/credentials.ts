// Where the app's AWS credentials come from (plain Node, no electron import):
// a named profile of ~/.aws/config (static keys, SSO, credential_process,
// assume-role), the environment, keys saved encrypted in the app, or the SDK's
// default chain (CLI). Failures become one plain sentence, with the command to
// run when the fix is a command (expired SSO session).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fromEnv, fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AppKeysError, type AppKeysStore } from './app-keys';
import { redactText } from './redact';

export type AwsCredentialSource =
  | { kind: 'profile'; profile: string }
  | { kind: 'env' }
  | { kind: 'app-keys' }
  | { kind: 'default' };

export interface AwsConfigPaths {
  /** Default: $AWS_CONFIG_FILE or ~/.aws/config. */
  configFile?: string;
  /** Default: $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials. */
  credentialsFile?: string;
}

export interface CredentialDeps extends AwsConfigPaths {
  appKeys?: AppKeysStore;
}

export type CredentialProblemCode =
  | 'sso-expired'
  | 'sso-not-logged-in'
  | 'profile-not-found'
  | 'profile-incomplete'
  | 'process-failed'
  | 'no-env-credentials'
  | 'no-app-keys'
  | 'encryption-unavailable'
  | 'unreadable-keys'
  | 'no-credentials'
  | 'unknown';

/** A credential failure in plain words; `command` is what to run in a terminal to fix it. */
export class CredentialProblem extends Error {
  constructor(
    message: string,
    readonly code: CredentialProblemCode,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'CredentialProblem';
  }
}

export function defaultConfigPaths(env: NodeJS.ProcessEnv = process.env): Required<AwsConfigPaths> {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    configFile: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_.@+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function ssoLoginCommand(profile: string): string {
  return `aws sso login --profile ${shellQuote(profile)}`;
}

/** Turns an SDK credential error into a CredentialProblem that says what to do. */
export function explainCredentialError(err: unknown, source: AwsCredentialSource): CredentialProblem {
  if (err instanceof CredentialProblem) return err;
  if (err instanceof AppKeysError) {
    return new CredentialProblem(err.message, err.code === 'encryption-unavailable' ? 'encryption-unavailable' : 'unreadable-keys');
  }
  const raw = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : '';
  const message = redactText(raw);
  const profile = source.kind === 'profile' ? source.profile : 'default';
  const label = source.kind === 'profile' ? `AWS profile "${profile}"` : 'your AWS profile';

  if (/Sso session '.*' (could not be found|is missing required)|missing required property 'sso_session'/i.test(raw)) {
    return new CredentialProblem(`${label} is incomplete in your AWS config: ${message}`, 'profile-incomplete');
  }
  const ssoRelated = /\bsso\b|sso[_ ]session|sso token|aws sso login/i.test(raw) || name === 'UnauthorizedException';
  // An expired cached token without refresh data reads "Cannot refresh": that is an expiry.
  const expired = /expired|Cannot refresh|UnauthorizedException|Session token not found/i.test(`${name} ${raw}`);
  if (ssoRelated && !expired && /not found or is invalid|session associated with this profile is invalid|Value not present/i.test(raw)) {
    return new CredentialProblem(
      `You are not signed in to AWS for ${label} (no SSO session on this computer). Sign in with: ${ssoLoginCommand(profile)}`,
      'sso-not-logged-in', ssoLoginCommand(profile));
  }
  if (ssoRelated && expired) {
    return new CredentialProblem(
      `Your AWS sign-in for ${label} has expired. Sign in again with: ${ssoLoginCommand(profile)}`,
      'sso-expired', ssoLoginCommand(profile));
  }
  if (/Profile .* (was not found|could not be found)|Could not resolve credentials using profile/i.test(raw)) {
    return new CredentialProblem(
      `The AWS profile "${profile}" does not exist in your AWS config or credentials file. Check its name in Settings, or create it with: aws configure --profile ${shellQuote(profile)}`,
      'profile-not-found');
  }
  if (/credential_process|credential process|fromProcess|^Command failed|Profile .* did not contain|credential_process output/i.test(raw)) {
    return new CredentialProblem(`The credential_process of ${label} failed: ${message}`, 'process-failed');
  }
  if (/invalid SSO credentials|missing required property|not configured with|Conflicting SSO/i.test(raw)) {
    return new CredentialProblem(`${label} is incomplete in your AWS config: ${message}`, 'profile-incomplete');
  }
  if (source.kind === 'env' && /environment variable/i.test(raw)) {
    return new CredentialProblem(
      'No AWS keys in the environment: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (apps started from the desktop do not see your shell variables; choose a profile instead).',
      'no-env-credentials');
  }
  if (/Could not load credentials from any providers/i.test(raw)) {
    return new CredentialProblem(
      'No AWS credentials found. Choose a profile or enter access keys in Settings, or run: aws configure',
      'no-credentials');
  }
  return new CredentialProblem(`Could not get AWS credentials from ${label}: ${message}`, 'unknown');
}

function baseProvider(source: AwsCredentialSource, deps: CredentialDeps): AwsCredentialIdentityProvider {
  const paths = { ...defaultConfigPaths(), ...definedOnly(deps) };
  switch (source.kind) {
    case 'profile':
      // fromIni covers static keys, sso_session / legacy SSO, credential_process,
      // role_arn and web identity. ignoreCache: a fresh `aws sso login` is seen
      // without restarting the app. An explicit profile never falls back to env.
      return fromIni({
        profile: source.profile,
        filepath: paths.credentialsFile,
        configFilepath: paths.configFile,
        ignoreCache: true,
      });
    case 'env':
      return fromEnv();
    case 'app-keys':
      return async () => {
        const keys = deps.appKeys?.load();
        if (!keys) {
          throw new CredentialProblem('No access keys are saved in the app. Enter them in Settings > AWS.', 'no-app-keys');
        }
        return keys;
      };
    case 'default':
      return fromNodeProviderChain({ filepath: paths.credentialsFile, configFilepath: paths.configFile, ignoreCache: true });
  }
}

function definedOnly(deps: CredentialDeps): AwsConfigPaths {
  const out: AwsConfigPaths = {};
  if (deps.configFile) out.configFile = deps.configFile;
  if (deps.credentialsFile) out.credentialsFile = deps.credentialsFile;
  return out;
}

/** A provider for SDK clients (`new S3Client({ credentials })`) whose errors are CredentialProblems. */
export function createCredentialProvider(source: AwsCredentialSource, deps: CredentialDeps = {}): AwsCredentialIdentityProvider {
  const inner = baseProvider(source, deps);
  return async (props) => {
    try {
      return await inner(props);
    } catch (e) {
      throw explainCredentialError(e, source);
    }
  };
}

export function resolveCredentials(source: AwsCredentialSource, deps: CredentialDeps = {}): Promise<AwsCredentialIdentity> {
  return createCredentialProvider(source, deps)();
}

export type ProfileKind = 'sso' | 'credential-process' | 'assume-role' | 'web-identity' | 'keys' | 'other';

export interface ProfileInfo {
  name: string;
  kind: ProfileKind;
  region?: string;
  /** Files that define the profile. */
  definedIn: ('config' | 'credentials')[];
}

type IniSections = Map<string, Record<string, string>>;

/** Minimal INI reader for the AWS files: sections, key = value, comments; nested (indented) blocks skipped. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Record<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(line)) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    if (!current || /^\s/.test(line)) continue; // sub-properties (s3 =\n  max_...) are not needed here
    const eq = line.indexOf('=');
    if (eq > 0) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

function kindOf(p: Record<string, string>): ProfileKind {
  if (p.sso_session || p.sso_start_url) return 'sso';
  if (p.credential_process) return 'credential-process';
  if (p.role_arn && p.web_identity_token_file) return 'web-identity';
  if (p.role_arn) return 'assume-role';
  if (p.aws_access_key_id) return 'keys';
  return 'other';
}

/** Profiles of ~/.aws/config and ~/.aws/credentials (or the given files), "default" first. */
export function listProfiles(paths: AwsConfigPaths = {}): ProfileInfo[] {
  const { configFile, credentialsFile } = { ...defaultConfigPaths(), ...definedOnly(paths) };
  const merged = new Map<string, { props: Record<string, string>; definedIn: Set<'config' | 'credentials'> }>();
  const add = (name: string, props: Record<string, string>, file: 'config' | 'credentials') => {
    const entry = merged.get(name) ?? { props: {}, definedIn: new Set() };
    // The credentials file wins for keys, as in the SDK.
    entry.props = file === 'credentials' ? { ...entry.props, ...props } : { ...props, ...entry.props };
    entry.definedIn.add(file);
    merged.set(name, entry);
  };
  for (const [section, props] of parseIni(readIfExists(configFile))) {
    if (section === 'default') add('default', props, 'config');
    else if (section.startsWith('profile ')) add(section.slice('profile '.length).trim(), props, 'config');
    // [sso-session x] and [services x] are not profiles.
  }
  for (const [section, props] of parseIni(readIfExists(credentialsFile))) add(section, props, 'credentials');

  return [...merged.entries()]
    .map(([name, { props, definedIn }]) => ({
      name,
      kind: kindOf(props),
      ...(props.region ? { region: props.region } : {}),
      definedIn: [...definedIn].sort(),
    }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}
