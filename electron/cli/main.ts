/**
 * The `hospup` command line: export a request or project through the local cloud or AWS,
 * print the MediaConvert job a request compiles to, or run the local cloud. This module only
 * parses arguments and prints help; the commands load on demand (commands.ts), so
 * `hospup --help` answers at once.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commandHelp, HELP_TOPICS, overviewHelp, type HelpTopic } from './help';

// The SDK's Node 20 notice is for developers, not for people exporting a video.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  'out-dir': { type: 'string' },
  target: { type: 'string', default: 'local' },
  profile: { type: 'string' },
  region: { type: 'string' },
  bucket: { type: 'string' },
  function: { type: 'string' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    const command = argv.find((arg) => !arg.startsWith('-'));
    process.stderr.write(`${optionError(err as Error & { code?: string }, command)}\n\n${helpFor(command)}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file] = positionals;
  if (!command) {
    process.stdout.write(`${overviewHelp()}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'help' || values.help) {
    const topic = command === 'help' ? file : command;
    if (topic && !isHelpTopic(topic)) {
      process.stderr.write(`Unknown command "${topic}".\n\n${overviewHelp()}\n`);
      return 2;
    }
    process.stdout.write(`${helpFor(topic)}\n`);
    return 0;
  }
  if (command !== 'export' && command !== 'plan' && command !== 'cloud') {
    process.stderr.write(`Unknown command "${command}".\n\n${overviewHelp()}\n`);
    return 2;
  }
  if (command === 'export' && values.target === 'local' && file) {
    // The local cloud's generation function starts loading on the other core now, while this
    // thread loads the exporter (the ~0.2 s before "Preparing").
    (await import('../../cloud/local/function-sandbox')).prestartFunctionSandbox();
  }
  const { runCommand } = await import('./commands');
  return runCommand(command, file, values);
}

function isHelpTopic(name: string): name is HelpTopic {
  return (HELP_TOPICS as readonly string[]).includes(name);
}

/** node:util's parseArgs messages suggest `--` tricks; say plainly which option is wrong. */
function optionError(err: Error & { code?: string }, command: string | undefined): string {
  const option = /'(-[^']*)'/.exec(err.message)?.[1];
  const where = command ? `hospup ${command}` : 'hospup';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `${where}: unknown option ${option}`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `${where}: ${option} needs a value`;
  return `${where}: ${err.message}`;
}

function helpFor(command: string | undefined): string {
  return command && isHelpTopic(command) ? commandHelp(command) : overviewHelp();
}

export type CliValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { type: 'boolean' } ? boolean : string };

const isEntry = process.argv[1] && resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === resolve(import.meta.dirname ?? '.', 'main');
if (isEntry) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
