/**
 * The real generation handler as the local cloud configures it, loaded on demand (job compiler,
 * SDK clients, fonts): one construction for the function's worker thread and for the main-thread
 * fallback (function-sandbox.ts), with its log lines written where the local cloud wants them.
 */
import type { GeneratorConfig } from '../lambda/config';
import type { GeneratorHandler } from '../lambda/handler';
import type { RunCredentials } from './credentials';

export interface LocalGeneratorSetup {
  config: GeneratorConfig;
  credentials: RunCredentials & { sessionToken?: string };
}

export async function loadLocalGenerator(setup: LocalGeneratorSetup, write?: (line: string) => void): Promise<GeneratorHandler> {
  const [{ createHandler }, { createLogger, silentLogger }] = await Promise.all([import('../lambda/handler'), import('../lambda/log')]);
  const logger = write ? createLogger({ service: 'hospup-generator' }, write) : silentLogger;
  return createHandler(setup.config, { credentials: setup.credentials, logger });
}
