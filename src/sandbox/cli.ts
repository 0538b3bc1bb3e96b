// `portone-sandbox`: runs the sandbox from a shell, prints its URLs and credentials (or `--env`
// lines for a .env file), and stops on SIGINT/SIGTERM. Every option of `createSandbox` has a flag;
// faults can be set per route. `trigger`, `replay` and `tail` talk to a running one (cli-tools.ts).
import { createSandbox } from './sandbox.js';
import { REST_ROUTE_KEYS } from './http/rest.js';
import { runTool, ToolError, TOOLS, TOOLS_USAGE } from './cli-tools.js';
import type { RouteFault, Sandbox, SandboxFaults, SandboxOptions } from './types.js';

export const USAGE = `Usage: portone-sandbox [options]
       portone-sandbox trigger <event> | replay <file> | tail [options]

An offline PortOne V2 emulator (KG Inicis): REST API, payment window, signed webhooks.

Server
  --port <n>                 Port to listen on (default 8787; 0 picks a free one)
  --host <host>              Interface to bind (default 127.0.0.1)
  --store-id <id>            Store id (default: generated, or the persisted one)
  --api-secret <secret>      API secret for \`Authorization: PortOne …\` (default: generated)
  --merchant-id <id>         Merchant id (default: generated)
  --store-name <name>        The shop's name in the payment window (default 포트원 샌드박스 상점)
  --persist <file>           Keep state (and the clock) in this JSON file across restarts
  --clock real|manual        Time source (default real); manual moves only via the dashboard/API
  --now <date-time>          Start time (RFC 3339), e.g. 2026-01-01T09:00:00+09:00; wins over a persisted clock
  --manual-approval-ttl <ms> How long a manual-approval token can be confirmed (default 600000, 10 minutes)

Webhooks
  --webhook-url <url>        Where webhooks go (repeatable)
  --webhook-secret <whsec_…> Signing secret (repeat once more for rotation; default: generated)
  --retry-delays <ms,…>      Delays before each attempt (default PortOne's 0,1,4,16,64,256 minutes)
  --webhook-timeout <ms>     Per-attempt timeout (default 30000)

Faults (route: e.g. "GET /payments/:id"; default every route, "*")
  --fail-rate <rate>[@route]        Share of requests answered with a gateway's HTML 5xx page (0…1)
  --failure-status <code>[@route]   500, 502, 503 or 504 (default 500)
  --latency <ms>[@route]            Added latency
  --hang-rate <rate>[@route]        Share of requests never answered (the client times out)
  --reset-rate <rate>[@route]       Share of connections reset before any answer
  --webhook-drop <rate>             Share of webhook deliveries dropped (not retried)
  --webhook-duplicate <rate>        Share of webhook deliveries sent twice
  --webhook-delay <ms>              Delay before each webhook delivery
  --webhook-reorder                 Hold deliveries and send them newest first
  --seed <n>                        Seed for the fault dice

Output
  --quiet                    Do not log requests and deliveries
  --json                     Print the URLs and credentials as one JSON line
  --env                      Print the credentials as PORTONE_* lines for a .env file (logs go to stderr)
  --help                     Show this help

${TOOLS_USAGE}`;

export class UsageError extends Error {}

interface Parsed {
  options: SandboxOptions;
  quiet: boolean;
  json: boolean;
  env: boolean;
  help: boolean;
}

function number(flag: string, text: string | undefined, { min = 0, max = Infinity, integer = false } = {}): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag}: expected ${integer ? 'an integer' : 'a number'}${max < Infinity ? ` from ${min} to ${max}` : ` ≥ ${min}`}, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
  }
  return value;
}

/** `0.3@GET /payments/:id` → value "0.3" on route "GET /payments/:id" (no `@` → every route). */
function routed(text: string | undefined): { value: string | undefined; route: string } {
  if (text === undefined) return { value: undefined, route: '*' };
  const at = text.indexOf('@');
  return at === -1 ? { value: text, route: '*' } : { value: text.slice(0, at), route: text.slice(at + 1).trim() };
}

export function parseArgs(argv: readonly string[]): Parsed {
  const options: SandboxOptions = { port: 8787 };
  const faults: SandboxFaults = {};
  const routes: Record<string, RouteFault> = {};
  const webhookUrls: string[] = [];
  const secrets: string[] = [];
  let quiet = false;
  let json = false;
  let env = false;
  let help = false;
  const args = [...argv];
  const take = (flag: string): string => {
    const value = args.shift();
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag}: expected a value`);
    return value;
  };
  const route = (flag: string, key: keyof RouteFault, parse: (flag: string, v: string | undefined) => number) => {
    const { value, route: name } = routed(take(flag));
    if (name !== '*' && !REST_ROUTE_KEYS.includes(name)) throw new UsageError(`${flag}: routes look like "GET /payments/:id", got ${JSON.stringify(name)}; one of ${REST_ROUTE_KEYS.join(', ')}`);
    (routes[name] ??= {})[key] = parse(flag, value) as never;
  };
  while (args.length > 0) {
    const arg = args.shift()!;
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (inline !== undefined) args.unshift(inline);
    switch (flag) {
      case '--port': options.port = number(flag, take(flag), { max: 65_535, integer: true }); break;
      case '--host': options.host = take(flag); break;
      case '--store-id': options.storeId = take(flag); break;
      case '--api-secret': options.apiSecret = take(flag); break;
      case '--merchant-id': options.merchantId = take(flag); break;
      case '--store-name': options.storeName = take(flag); break;
      case '--persist': options.persistPath = take(flag); break;
      case '--clock': {
        const clock = take(flag);
        if (clock !== 'real' && clock !== 'manual') throw new UsageError(`--clock: expected real or manual, got ${JSON.stringify(clock)}`);
        options.clock = clock;
        break;
      }
      case '--now': {
        const text = take(flag);
        const ms = Date.parse(text);
        if (Number.isNaN(ms)) throw new UsageError(`--now: expected an RFC 3339 date-time, got ${JSON.stringify(text)}`);
        options.now = ms;
        break;
      }
      case '--webhook-url': {
        const url = take(flag);
        if (!/^https?:\/\//.test(url)) throw new UsageError(`--webhook-url: expected an http(s) URL, got ${JSON.stringify(url)}`);
        webhookUrls.push(url);
        break;
      }
      case '--manual-approval-ttl': options.manualApprovalTtlMs = number(flag, take(flag), { min: 1, max: 86_400_000, integer: true }); break;
      case '--webhook-secret': secrets.push(take(flag)); break;
      case '--retry-delays': options.webhookRetryDelaysMs = take(flag).split(',').map((d) => number(flag, d.trim())); break;
      case '--webhook-timeout': options.webhookTimeoutMs = number(flag, take(flag), { min: 1 }); break;
      case '--fail-rate': route(flag, 'failureRate', (f, v) => number(f, v, { max: 1 })); break;
      case '--failure-status': route(flag, 'failureStatus', (f, v) => {
        const status = number(f, v, { integer: true });
        if (![500, 502, 503, 504].includes(status)) throw new UsageError(`${f}: expected 500, 502, 503 or 504, got ${v}`);
        return status;
      }); break;
      case '--latency': route(flag, 'latencyMs', (f, v) => number(f, v)); break;
      case '--hang-rate': route(flag, 'hangRate', (f, v) => number(f, v, { max: 1 })); break;
      case '--reset-rate': route(flag, 'resetRate', (f, v) => number(f, v, { max: 1 })); break;
      case '--webhook-drop': (faults.webhooks ??= {}).dropRate = number(flag, take(flag), { max: 1 }); break;
      case '--webhook-duplicate': (faults.webhooks ??= {}).duplicateRate = number(flag, take(flag), { max: 1 }); break;
      case '--webhook-delay': (faults.webhooks ??= {}).delayMs = number(flag, take(flag)); break;
      case '--webhook-reorder': (faults.webhooks ??= {}).reorder = true; break;
      case '--seed': faults.seed = number(flag, take(flag), { integer: true }); break;
      case '--quiet': quiet = true; break;
      case '--json': json = true; break;
      case '--env': env = true; break;
      case '--help': case '-h': help = true; break;
      default: throw new UsageError(`Unknown option ${JSON.stringify(arg)} (see --help)`);
    }
  }
  if (secrets.length > 2) throw new UsageError(`--webhook-secret: at most two (current and next), got ${secrets.length}`);
  if (secrets.length === 1) options.webhookSecret = secrets[0]!;
  if (secrets.length === 2) options.webhookSecret = [secrets[0]!, secrets[1]!];
  if (webhookUrls.length) options.webhookUrls = webhookUrls;
  if (Object.keys(routes).length) faults.routes = routes;
  if (faults.routes || faults.webhooks || faults.seed !== undefined) options.faults = faults;
  if (json && env) throw new UsageError('--json and --env: pick one output');
  return { options, quiet, json, env, help };
}

export function describeSandbox(sandbox: Sandbox, webhookUrls: readonly string[]): string {
  const pad = (label: string) => `  ${label.padEnd(16)}`;
  const lines = [
    'PortOne sandbox (API V2, KG Inicis) is running.',
    '',
    `${pad('REST API')}${sandbox.url}`,
    `${pad('Browser SDK')}${sandbox.sdkUrl}`,
    `${pad('Dashboard')}${sandbox.dashboardUrl}`,
    '',
    `${pad('Store ID')}${sandbox.storeId}`,
    `${pad('API secret')}${sandbox.apiSecret}`,
    ...sandbox.webhookSecrets.map((s, i) => `${pad(i === 0 ? 'Webhook secret' : 'Next secret')}${s}`),
    `${pad('Control token')}${sandbox.controlToken}  (X-PortOne-Sandbox-Token for /sandbox/* controls)`,
    '',
    '  Channels',
    ...(Object.entries(sandbox.channelKeys) as [string, string][]).map(([use, key]) => {
      const channel = sandbox.channels.find((c) => c.key === key)!;
      return `    ${use.padEnd(22)}${key}  (${channel.type}, ${channel.name})`;
    }),
    '',
    `${pad('Webhooks to')}${webhookUrls.length ? webhookUrls.join(', ') : '(none: pass --webhook-url)'}`,
    '',
    `Point @portone/server-sdk at it with PortOneClient({ secret, baseUrl: "${sandbox.url}" }) and the`,
    `checkout elements with their sdk-url attribute: <portone-payment-button sdk-url="${sandbox.sdkUrl}">.`,
    'npx portone-sandbox tail shows webhook deliveries as they happen. Stop with Ctrl+C.',
  ];
  return lines.join('\n');
}

/** `--env`: the credentials as `KEY=value` lines, ready for a .env file. */
export function envLines(sandbox: Sandbox): string {
  return Object.entries(sandbox.env()).map(([key, value]) => `${key}=${value}`).join('\n');
}

/** Why the sandbox could not listen, as one line (no stack trace), or undefined for anything else. */
function listenProblem(error: unknown, options: SandboxOptions): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `port ${options.port ?? 8787} on ${options.host ?? '127.0.0.1'}`;
  if (code === 'EADDRINUSE') return `${where} is already in use: pass --port <n> (0 picks a free one), or stop what holds it`;
  if (code === 'EACCES') return `${where} needs privileges this process lacks: pass --port above 1023`;
  if (code === 'EADDRNOTAVAIL') return `${options.host} is not an address of this machine: pass --host 127.0.0.1 (or 0.0.0.0 for every interface)`;
  return undefined;
}

export async function main(argv: readonly string[] = process.argv.slice(2), out: (text: string) => void = (t) => console.log(t)): Promise<Sandbox | undefined> {
  if ((TOOLS as readonly string[]).includes(argv[0] ?? '')) {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await runTool(argv, out, process.env, stop.signal);
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      console.error(`portone-sandbox ${error.message}`);
      process.exitCode = error.exitCode;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return undefined;
  }
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`portone-sandbox: ${error.message}`);
    process.exitCode = 2;
    return undefined;
  }
  if (parsed.help) {
    out(USAGE);
    return undefined;
  }
  // With --env, stdout is the .env file: the log goes to stderr.
  const logTo = parsed.env ? (text: string) => console.error(text) : out;
  const log = parsed.quiet ? undefined : (line: string) => logTo(`${new Date().toISOString()} ${line}`);
  let sandbox: Sandbox;
  try {
    sandbox = await createSandbox({ ...parsed.options, ...(log ? { log } : {}) });
  } catch (error) {
    const problem = listenProblem(error, parsed.options);
    if (!problem) throw error;
    console.error(`portone-sandbox: ${problem}`);
    process.exitCode = 1;
    return undefined;
  }
  if (parsed.json) {
    out(JSON.stringify({ url: sandbox.url, sdkUrl: sandbox.sdkUrl, dashboardUrl: sandbox.dashboardUrl, storeId: sandbox.storeId, apiSecret: sandbox.apiSecret, webhookSecret: sandbox.webhookSecret, webhookSecrets: sandbox.webhookSecrets, controlToken: sandbox.controlToken, channelKeys: sandbox.channelKeys }));
  } else if (parsed.env) out(envLines(sandbox));
  else out(describeSandbox(sandbox, parsed.options.webhookUrls ?? []));
  const stop = (signal: string) => {
    logTo(`Received ${signal}, stopping the sandbox…`);
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return sandbox;
}
