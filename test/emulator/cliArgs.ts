// Command-line flags of the emulator: one table drives parsing and the help text.
import { PROVIDERS, type EmulatorOptions, type Fault, type ProviderName } from './types';
import { validateFault } from './faults';

type OptionKey = Exclude<keyof EmulatorOptions, 'log' | 'providerKeys' | 'now'>;

interface FlagSpec {
  flag: string;
  /** number, boolean, a list of allowed words, or repeatable strings. */
  type: 'number' | 'boolean' | 'list' | readonly string[];
  key: OptionKey;
  help: string;
}

const FLAGS: readonly FlagSpec[] = [
  { flag: 'port', type: 'number', key: 'port', help: 'port to listen on, 0 = any free port (default 0)' },
  { flag: 'token', type: 'list', key: 'tokens', help: 'accepted HF token, repeatable (default hf_emulator_token)' },
  { flag: 'read-only-token', type: 'list', key: 'readOnlyTokens', help: 'HF token the Hub accepts and the router refuses (403), repeatable' },
  { flag: 'queue-ms', type: 'number', key: 'queueMs', help: 'time a job spends queued (default 300)' },
  { flag: 'run-ms', type: 'number', key: 'runMs', help: 'time a job spends running (default 600)' },
  { flag: 'video-bytes', type: 'number', key: 'videoBytes', help: 'pad served videos to about this size' },
  { flag: 'audio', type: 'boolean', key: 'audio', help: 'serve the H.264 + AAC fixture' },
  { flag: 'cdn-ignores-ranges', type: 'boolean', key: 'cdnIgnoresRanges', help: 'the CDN ignores Range and always sends the whole file' },
  { flag: 'echo-authorization', type: 'boolean', key: 'echoAuthorization', help: 'put the received Authorization header into error bodies, failure reasons and job logs' },
  { flag: 'replicate-wait-ms', type: 'number', key: 'replicateWaitMs', help: 'longest Prefer: wait hold (default 60000)' },
  { flag: 'replicate-output-while-processing-ms', type: 'number', key: 'replicateOutputWhileProcessingMs', help: 'output set while status is still processing' },
  { flag: 'router-rewrites-urls', type: 'boolean', key: 'routerRewritesUrls', help: '(U) router rewrites provider URLs to router URLs' },
  { flag: 'router-forwards-cancel', type: 'boolean', key: 'routerForwardsCancel', help: '(U) router forwards provider cancel calls (default true)' },
  { flag: 'router-serves-status-stream', type: 'boolean', key: 'routerServesStatusStream', help: '(U) router forwards fal status/stream (SSE) (default false: 405)' },
  { flag: 'router-error-shape', type: ['error-string', 'error-object', 'message'], key: 'routerErrorShape', help: '(U) router error body' },
  { flag: 'hub-mapping-shape', type: ['dict', 'list'], key: 'hubMappingShape', help: '(U) inferenceProviderMapping shape' },
  { flag: 'router-serves-staging', type: 'boolean', key: 'routerServesStaging', help: '(U) router serves staging mappings (default true)' },
  { flag: 'fal-failure-style', type: ['completed-with-error', 'failed-status'], key: 'falFailureStyle', help: '(U) how fal reports failures' },
  { flag: 'fal-stream-logs', type: ['delta', 'cumulative'], key: 'falStreamLogs', help: '(U) fal status stream logs: new lines per event (default) or all so far' },
  { flag: 'fal-result-while-pending', type: ['bad-request', 'status'], key: 'falResultWhilePending', help: '(U) fal result before completion' },
  { flag: 'replicate-output-shape', type: ['string', 'array'], key: 'replicateOutputShape', help: '(U) Replicate output' },
  { flag: 'replicate-unknown-input-keys', type: ['ignore', 'reject'], key: 'replicateUnknownInputKeys', help: '(U) unknown keys inside input' },
  { flag: 'novita-legacy-hf', type: ['sync', 'not-found'], key: 'novitaLegacyHf', help: '(U) legacy /v3/hf/ route' },
  { flag: 'novita-requires-size', type: 'boolean', key: 'novitaRequiresSize', help: '(U) Novita requires width/height' },
  { flag: 'novita-frames', type: ['accept', 'reject'], key: 'novitaFrames', help: '(U) Novita direct host given frames' },
  { flag: 'together-queued-status', type: ['in_progress', 'queued'], key: 'togetherQueuedStatus', help: '(U) Together status of a waiting job' },
  { flag: 'negative-prompt-arrays', type: ['accept', 'reject'], key: 'negativePromptArrays', help: '(U) negative_prompt given as an array' },
];

export interface CliConfig {
  options: EmulatorOptions;
  faults: Fault[];
  help: boolean;
}

export function helpText(): string {
  const lines = FLAGS.map((spec) => `  --${spec.flag}${valueHint(spec)}  ${spec.help}`);
  lines.push('  --key PROVIDER=KEY  direct-mode key for a provider, repeatable', "  --fault JSON  fault injected at start, repeatable", '  --help');
  return `Usage: node out/test/emulator/cli.js [flags]\n${lines.join('\n')}\n`;
}

function valueHint(spec: FlagSpec): string {
  if (spec.type === 'boolean') return '[=true|false]';
  if (Array.isArray(spec.type)) return ` ${spec.type.join('|')}`;
  return spec.type === 'number' ? ' N' : ' VALUE';
}

interface FlagHandler {
  takesValue: boolean;
  apply(config: CliConfig, value: string | undefined): void;
}

/** Flags that do more than set one option. */
const SPECIAL_FLAGS: Record<string, FlagHandler> = {
  help: { takesValue: false, apply: (config) => (config.help = true) },
  key: { takesValue: true, apply: (config, value) => addProviderKey(config.options, value!) },
  fault: { takesValue: true, apply: (config, value) => config.faults.push(validateFault(parseJson(value!))) },
};

/** `--name value`, `--name=value`, bare `--flag` for booleans, `--no-flag` for false. */
export function parseCliArgs(argv: readonly string[]): CliConfig {
  const config: CliConfig = { options: {}, faults: [], help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const [name, inline] = splitFlag(argv[index]);
    const handler = flagHandler(name);
    const value = inline ?? (handler.takesValue ? argv[++index] : undefined);
    if (handler.takesValue && value === undefined) throw new Error(`--${name} needs a value`);
    handler.apply(config, value);
  }
  return config;
}

function flagHandler(name: string): FlagHandler {
  if (Object.prototype.hasOwnProperty.call(SPECIAL_FLAGS, name)) return SPECIAL_FLAGS[name];
  const options = (config: CliConfig): Record<string, unknown> => config.options as Record<string, unknown>;
  const spec = FLAGS.find((candidate) => candidate.flag === name);
  if (spec) return { takesValue: spec.type !== 'boolean', apply: (config, value) => (options(config)[spec.key] = convert(spec, value, options(config)[spec.key])) };
  const negated = FLAGS.find((candidate) => `no-${candidate.flag}` === name && candidate.type === 'boolean');
  if (negated) return { takesValue: false, apply: (config) => (options(config)[negated.key] = false) };
  throw new Error(`Unknown flag --${name}; see --help`);
}

function splitFlag(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}; see --help`);
  const equals = arg.indexOf('=');
  return equals < 0 ? [arg.slice(2), undefined] : [arg.slice(2, equals), arg.slice(equals + 1)];
}

function convert(spec: FlagSpec, value: string | undefined, previous: unknown): unknown {
  if (spec.type === 'boolean') {
    if (value === undefined || value === 'true') return true;
    if (value === 'false') return false;
    throw new Error(`--${spec.flag} takes true or false`);
  }
  if (spec.type === 'number') {
    const number = Number(value);
    if (value === '' || !Number.isFinite(number) || number < 0) throw new Error(`--${spec.flag} needs a number`);
    return number;
  }
  if (spec.type === 'list') return [...((previous as string[] | undefined) ?? []), value!];
  if (!spec.type.includes(value!)) throw new Error(`--${spec.flag} takes one of ${spec.type.join(', ')}`);
  return value;
}

function addProviderKey(options: EmulatorOptions, assignment: string): void {
  const [provider, key] = [assignment.slice(0, assignment.indexOf('=')), assignment.slice(assignment.indexOf('=') + 1)];
  if (!PROVIDERS.includes(provider as ProviderName) || !key) throw new Error(`--key takes PROVIDER=KEY with PROVIDER one of ${PROVIDERS.join(', ')}`);
  const keys = (options.providerKeys ??= {});
  keys[provider as ProviderName] = [...(keys[provider as ProviderName] ?? []), key];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`--fault needs JSON, got ${text}`);
  }
}
