// How the shop is started: command-line flags and environment variables, read once into one object.
// Without PortOne credentials it runs on the embedded sandbox; with all four it uses PortOne itself.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export interface SandboxSettings {
  mode: 'sandbox';
  /** `real`: time follows the wall clock (plus what "run due schedules" added). `manual`: only moves when advanced. */
  clock: 'real' | 'manual';
  /** 0: a free port. */
  port: number;
}

export interface PortOneSettings {
  mode: 'portone';
  storeId: string;
  apiSecret: string;
  webhookSecret: string;
  channelKeys: { payment: string; billingKey: string; billingKeyAndPay: string };
  /** Default PortOne's `https://api.portone.io`. */
  apiUrl?: string;
  /** Where PortOne reaches this shop (e.g. a tunnel), for `noticeUrls`. */
  publicUrl?: string;
}

export interface ShopOptions {
  /** 0: a free port. */
  port: number;
  host: string;
  /** SQLite files and the sandbox's state. */
  dataDir: string;
  adminPassword: string;
  /** True when no ADMIN_PASSWORD was given and one was generated for this run. */
  adminPasswordGenerated: boolean;
  portone: SandboxSettings | PortOneSettings;
  /**
   * Register each order's amount with PortOne before its window opens (the kit's `preRegister`), so
   * a tampered amount fails at the PG. Off (`--no-pre-register`) only to watch the kit's own check
   * catch one: the payment goes through, and the kit flags the order and refunds it.
   */
  preRegister: boolean;
  /** Print the kit's and the sandbox's log lines. */
  verbose: boolean;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));

const PORTONE_VARS = ['PORTONE_STORE_ID', 'PORTONE_CHANNEL_KEY', 'PORTONE_API_SECRET', 'PORTONE_WEBHOOK_SECRET'] as const;

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

function parsePort(value: string, what: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new OptionsError(`${what}: expected a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

/** `--name value` and `--name=value` flags; `--flag` alone means "true". */
function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new OptionsError(`expected flags like --port 3000, got ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    if (eq !== -1) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(arg.slice(2), argv[++i]!);
    else flags.set(arg.slice(2), 'true');
  }
  return flags;
}

const KNOWN_FLAGS = ['port', 'host', 'data-dir', 'sandbox-port', 'sandbox-clock', 'no-pre-register', 'verbose', 'help'];

export const USAGE = `Usage: npm start -- [--port 3000] [--host 127.0.0.1] [--data-dir demo/.data] [--sandbox-port 0] [--sandbox-clock real|manual] [--no-pre-register] [--verbose]

  --no-pre-register          do not register amounts with PortOne before the window, to see the kit
                             itself flag and refund a payment whose amount was changed in the page

Environment:
  PORT, HOST                 same as --port, --host (the sandbox listens on the same host: 0.0.0.0 serves phones on your network)
  SANDBOX_PORT               same as --sandbox-port
  ADMIN_PASSWORD             password of /admin (user "admin"); generated and printed when unset
  PORTONE_STORE_ID, PORTONE_CHANNEL_KEY, PORTONE_API_SECRET, PORTONE_WEBHOOK_SECRET
                             all four: use PortOne's test channels instead of the embedded sandbox
  PORTONE_BILLING_CHANNEL_KEY, PORTONE_PHONE_BILLING_CHANNEL_KEY
                             channels for card subscriptions and phone billing (default PORTONE_CHANNEL_KEY)
  PORTONE_API_URL            PortOne's API origin (default https://api.portone.io), e.g. a stand-in such as npx portone-sandbox
  PUBLIC_URL                 where PortOne can reach this shop, to send webhooks to {PUBLIC_URL}/portone/webhooks`;

export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ShopOptions & { help: boolean } {
  const flags = parseFlags(argv);
  for (const name of flags.keys()) {
    if (!KNOWN_FLAGS.includes(name)) throw new OptionsError(`unknown flag --${name}; expected one of ${KNOWN_FLAGS.map((f) => `--${f}`).join(', ')}`);
  }
  const portText = flags.get('port') ?? env.PORT;
  const port = portText === undefined ? DEFAULT_PORT : parsePort(portText, flags.has('port') ? '--port' : 'PORT');
  const host = flags.get('host') ?? env.HOST ?? '127.0.0.1';
  const dataDir = flags.get('data-dir') ?? DEFAULT_DATA_DIR;

  const given = PORTONE_VARS.filter((name) => env[name]);
  let portone: SandboxSettings | PortOneSettings;
  if (given.length === 0) {
    const clock = flags.get('sandbox-clock') ?? 'real';
    if (clock !== 'real' && clock !== 'manual') throw new OptionsError(`--sandbox-clock: expected real or manual, got ${JSON.stringify(clock)}`);
    portone = { mode: 'sandbox', clock, port: parsePort(flags.get('sandbox-port') ?? env.SANDBOX_PORT ?? '0', '--sandbox-port') };
  } else if (given.length < PORTONE_VARS.length) {
    const missing = PORTONE_VARS.filter((name) => !env[name]);
    throw new OptionsError(`to use PortOne instead of the sandbox, set all of ${PORTONE_VARS.join(', ')}; missing ${missing.join(', ')}`);
  } else {
    const channel = env.PORTONE_CHANNEL_KEY!;
    portone = {
      mode: 'portone',
      storeId: env.PORTONE_STORE_ID!,
      apiSecret: env.PORTONE_API_SECRET!,
      webhookSecret: env.PORTONE_WEBHOOK_SECRET!,
      channelKeys: {
        payment: channel,
        billingKey: env.PORTONE_BILLING_CHANNEL_KEY || channel,
        billingKeyAndPay: env.PORTONE_PHONE_BILLING_CHANNEL_KEY || env.PORTONE_BILLING_CHANNEL_KEY || channel,
      },
      ...(env.PORTONE_API_URL ? { apiUrl: env.PORTONE_API_URL } : {}),
      ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/\/+$/, '') } : {}),
    };
  }

  const adminPassword = env.ADMIN_PASSWORD || randomBytes(9).toString('base64url');
  return {
    port,
    host,
    dataDir,
    adminPassword,
    adminPasswordGenerated: !env.ADMIN_PASSWORD,
    portone,
    preRegister: !flags.has('no-pre-register'),
    verbose: flags.has('verbose'),
    help: flags.has('help'),
  };
}
