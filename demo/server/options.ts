// How the shop is started: command-line flags and environment variables, read once into one object.
// Without PortOne credentials it runs on the embedded sandbox; with all four it uses PortOne itself.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { redactUrl } from './database.js';

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
  /**
   * `limited`: a channel set to manual approval (수동 승인) for the small batches; without it they are not on sale.
   * `identity`: a KG Inicis 통합인증 channel for the adult-only products' 본인인증; without it they are not on sale.
   */
  channelKeys: { payment: string; limited?: string; billingKey: string; billingKeyAndPay: string; identity?: string };
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
  /**
   * The kit's store on PostgreSQL (`--database`, `DATABASE_URL`): a `postgres://` URL. Absent: the
   * kit's SQLite file in `dataDir`. The shop's own tables stay in `dataDir`'s `shop.sqlite` either way.
   */
  database?: string;
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
  /** The shop's background jobs (see maintenance.ts). */
  maintenance: MaintenanceSettings;
  /** The kit's `reconcileAfterMs`: what reconcile() treats as left behind. Absent: the kit's default (10 minutes). */
  reconcileAfterMs?: number;
  /**
   * The kit's `claimLeaseMs`: how long the work a crashed process was doing (a webhook, a hook run)
   * stays claimed before the restarted shop, or another instance, takes it over. Absent: the kit's
   * default (30 seconds).
   */
  claimLeaseMs?: number;
  /** The `beforePrepare` limit per shopper (per client address: five times it); absent: off. */
  prepareLimit?: PrepareLimit;
  /**
   * A reverse proxy in front of the shop adds `X-Forwarded-For` and `X-Forwarded-Proto`: believe
   * their last entries for the client's address and whether it came over https. Off: the socket's
   * address and scheme, and the headers are ignored (anyone could send them).
   */
  trustProxy: boolean;
}

/** How often the shop runs the kit's maintenance, ms; 0 turns a job off. */
export interface MaintenanceSettings {
  reconcileEveryMs: number;
  pruneEveryMs: number;
  /** pruneAbandoned's `olderThanMs`: at least a day. */
  pruneAfterMs: number;
}

/** A token bucket: `burst` prepares at once, refilled at `perMinute`. */
export interface PrepareLimit {
  burst: number;
  perMinute: number;
}

export const DEFAULT_PORT = 3000;
/** The admin can refund every order: a short password is one a guesser gets to. */
export const MIN_ADMIN_PASSWORD_LENGTH = 12;
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));

const PORTONE_VARS = ['PORTONE_STORE_ID', 'PORTONE_CHANNEL_KEY', 'PORTONE_API_SECRET', 'PORTONE_WEBHOOK_SECRET'] as const;

export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
export const DEFAULT_MAINTENANCE: MaintenanceSettings = { reconcileEveryMs: 5 * MINUTE_MS, pruneEveryMs: DAY_MS, pruneAfterMs: 30 * DAY_MS };
export const DEFAULT_PREPARE_LIMIT: PrepareLimit = { burst: 20, perMinute: 20 };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: MINUTE_MS, h: 60 * MINUTE_MS, d: DAY_MS };
/** The longest setTimeout can wait (about 24.8 days); a job's interval must fit. */
const MAX_TIMER_MS = 2_147_483_647;
/** Ages (prune after, reconcile after) are not timers; ten years is past any sense. */
const MAX_AGE_MS = 3_650 * DAY_MS;
/** The kit refuses a shorter claim lease, or a longer one. */
export const MIN_CLAIM_LEASE_MS = 300;
export const MAX_CLAIM_LEASE_MS = DAY_MS;

const describeMs = (ms: number): string => (ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : `${ms} ms`);

interface DurationRules {
  /** A job's interval: `0` or `off` turn it off, and it must fit a timer. */
  timer?: boolean;
  min?: number;
  /** Below the default maximum (24 days for a timer, 10 years for an age). */
  max?: number;
}

/** `300000`, `90s`, `5m`, `2h`, `1d` (a bare number is milliseconds); `0` or `off` for a job's interval turn it off. */
export function parseDuration(value: string, what: string, { timer = false, min = 0, max = timer ? MAX_TIMER_MS : MAX_AGE_MS }: DurationRules = {}): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 'ms']! : timer && value === 'off' ? 0 : NaN;
  if (timer && ms === 0) return 0;
  if (!Number.isSafeInteger(ms) || ms < min || ms > max) {
    const range = `${min > 0 ? `at least ${describeMs(min)} and ` : ''}at most ${max === MAX_TIMER_MS ? '24 days' : max === MAX_AGE_MS ? '10 years' : describeMs(max)}`;
    throw new OptionsError(`${what}: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, ${range}${timer ? ' (0 or off: never)' : ''}; got ${JSON.stringify(value)}`);
  }
  return ms;
}

function parseCount(value: string, what: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(count) || count > 1_000_000) throw new OptionsError(`${what}: expected a whole number from 0 to 1000000, got ${JSON.stringify(value)}`);
  return count;
}

function parsePort(value: string, what: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new OptionsError(`${what}: expected a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

/** The kit's PostgreSQL: a `postgres://` or `postgresql://` URL, as `pg` takes it. */
function parseDatabase(value: string, what: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Not a URL: said below, without echoing it (it may hold a password).
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new OptionsError(
      `${what}: expected a PostgreSQL URL like postgres://user:password@host:5432/database (leave it out to keep the kit's data in checkout.sqlite), got ${protocol ? JSON.stringify(redactUrl(value)) : redactUrl(value)}`,
    );
  }
  return value;
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

const KNOWN_FLAGS = [
  'port',
  'host',
  'data-dir',
  'database',
  'sandbox-port',
  'sandbox-clock',
  'no-pre-register',
  'reconcile-every',
  'reconcile-after',
  'prune-every',
  'prune-after',
  'claim-lease',
  'prepare-burst',
  'prepare-per-minute',
  'trust-proxy',
  'verbose',
  'help',
];

export const USAGE = `Usage: npm start -- [--port 3000] [--host 127.0.0.1] [--data-dir demo/.data] [--database postgres://…] [--sandbox-port 0] [--sandbox-clock real|manual]
                    [--no-pre-register] [--verbose] [--reconcile-every 5m] [--reconcile-after 10m] [--prune-every 1d] [--prune-after 30d] [--claim-lease 30s]
                    [--prepare-burst 20] [--prepare-per-minute 20] [--trust-proxy]

  --database postgres://user:password@host:5432/db
                             keep the kit's orders, webhooks, billing keys and subscriptions in PostgreSQL
                             (schema portone_checkout, created and migrated at start) instead of
                             checkout.sqlite in the data directory; the shop's own shop.sqlite stays there
  --no-pre-register          do not register amounts with PortOne before the window, to see the kit
                             itself flag and refund a payment whose amount was changed in the page

Maintenance (durations: 300000 = ms, or 90s, 5m, 2h, 1d; 0 or off turns a job off):
  --reconcile-every 5m       run the kit's reconcile() this often: lost webhooks, payments a crash left
                             unrecorded, flagged payments still to refund, follow-ups that gave up
  --reconcile-after 10m      what reconcile() takes as left behind: orders unchanged this long
  --prune-every 1d           run pruneAbandoned() this often: orders no payment window was opened for
  --prune-after 30d          ...idle this long (at least 1d)
                             Runs never overlap; a failing run is logged and the next one still comes;
                             after a restart a job runs when it would have, counted from its last run.
  --claim-lease 30s          how long work a crashed shop was doing (a webhook, onPaid) stays claimed
                             before the restarted shop takes it over; a live shop renews its claims
                             (at least 300 ms and at most 1d)

Limits:
  --prepare-burst 20         prepares one shopper (session) may make at once, refilled at
  --prepare-per-minute 20    this rate; one client address gets five times both. 0 turns the limit off
  --trust-proxy              a reverse proxy in front sets X-Forwarded-For and X-Forwarded-Proto:
                             take the client's address from it (rate limits, admin sign-in throttle),
                             and https from it (Secure cookies); without the flag both are ignored

Environment:
  PORT, HOST                 same as --port, --host (the sandbox listens on the same host: 0.0.0.0 serves phones on your network)
  SANDBOX_PORT               same as --sandbox-port
  DATABASE_URL               same as --database
  RECONCILE_EVERY, RECONCILE_AFTER, PRUNE_EVERY, PRUNE_AFTER, CLAIM_LEASE, PREPARE_BURST, PREPARE_PER_MINUTE
                             same as the flags of those names
  TRUST_PROXY=1              same as --trust-proxy
  ADMIN_PASSWORD             password of /admin (user "admin"), at least 12 characters; generated and printed when unset
  PORTONE_STORE_ID, PORTONE_CHANNEL_KEY, PORTONE_API_SECRET, PORTONE_WEBHOOK_SECRET
                             all four: use PortOne's test channels instead of the embedded sandbox
  PORTONE_BILLING_CHANNEL_KEY, PORTONE_PHONE_BILLING_CHANNEL_KEY
                             channels for card subscriptions and phone billing (default PORTONE_CHANNEL_KEY)
  PORTONE_LIMITED_CHANNEL_KEY
                             a KG Inicis channel set to manual approval (수동 승인), for the small-batch product:
                             its stock is held before the payment is confirmed; without it the product is not on sale
  PORTONE_IDENTITY_CHANNEL_KEY
                             a KG Inicis 통합인증 channel, for the adult-only product: buyers verify they are 19 or
                             over (본인인증) before paying; without it the product is not on sale
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
  const databaseText = flags.get('database') ?? (env.DATABASE_URL || undefined);
  const database = databaseText === undefined ? undefined : parseDatabase(databaseText, flags.has('database') ? '--database' : 'DATABASE_URL');

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
        ...(env.PORTONE_LIMITED_CHANNEL_KEY ? { limited: env.PORTONE_LIMITED_CHANNEL_KEY } : {}),
        ...(env.PORTONE_IDENTITY_CHANNEL_KEY ? { identity: env.PORTONE_IDENTITY_CHANNEL_KEY } : {}),
      },
      ...(env.PORTONE_API_URL ? { apiUrl: env.PORTONE_API_URL } : {}),
      ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/\/+$/, '') } : {}),
    };
  }

  /** A flag, or else its environment variable, named as given in error messages. */
  const setting = (flag: string, variable: string): [value: string | undefined, what: string] =>
    flags.has(flag) ? [flags.get(flag), `--${flag}`] : [env[variable] || undefined, variable];
  const duration = (flag: string, variable: string, fallback: number, rules: DurationRules): number => {
    const [value, what] = setting(flag, variable);
    return value === undefined ? fallback : parseDuration(value, what, rules);
  };
  const maintenance: MaintenanceSettings = {
    reconcileEveryMs: duration('reconcile-every', 'RECONCILE_EVERY', DEFAULT_MAINTENANCE.reconcileEveryMs, { timer: true }),
    pruneEveryMs: duration('prune-every', 'PRUNE_EVERY', DEFAULT_MAINTENANCE.pruneEveryMs, { timer: true }),
    // The kit refuses less than a day: say so at start, not at the first prune a day later.
    pruneAfterMs: duration('prune-after', 'PRUNE_AFTER', DEFAULT_MAINTENANCE.pruneAfterMs, { min: DAY_MS }),
  };
  const [reconcileAfter, reconcileAfterWhat] = setting('reconcile-after', 'RECONCILE_AFTER');
  const [claimLease, claimLeaseWhat] = setting('claim-lease', 'CLAIM_LEASE');
  const count = (flag: string, variable: string, fallback: number): number => {
    const [value, what] = setting(flag, variable);
    return value === undefined ? fallback : parseCount(value, what);
  };
  const prepareLimit: PrepareLimit = {
    burst: count('prepare-burst', 'PREPARE_BURST', DEFAULT_PREPARE_LIMIT.burst),
    perMinute: count('prepare-per-minute', 'PREPARE_PER_MINUTE', DEFAULT_PREPARE_LIMIT.perMinute),
  };
  if ((prepareLimit.burst === 0) !== (prepareLimit.perMinute === 0)) {
    throw new OptionsError(
      `--prepare-burst and --prepare-per-minute: expected both above 0 (a limit), or both 0 (no limit); got ${prepareLimit.burst} and ${prepareLimit.perMinute}`,
    );
  }
  const [trustProxy, trustProxyWhat] = setting('trust-proxy', 'TRUST_PROXY');
  if (trustProxy !== undefined && !['true', '1', 'false', '0'].includes(trustProxy)) {
    throw new OptionsError(`${trustProxyWhat}: expected 1 or 0 (true or false), got ${JSON.stringify(trustProxy)}`);
  }

  // Counted in characters (code points), as a person typing it would; the password itself is never echoed.
  const adminPasswordLength = [...(env.ADMIN_PASSWORD ?? '')].length;
  if (env.ADMIN_PASSWORD && adminPasswordLength < MIN_ADMIN_PASSWORD_LENGTH) {
    throw new OptionsError(
      `ADMIN_PASSWORD: expected at least ${MIN_ADMIN_PASSWORD_LENGTH} characters (it guards every refund), got ${adminPasswordLength}; leave it unset to have one generated`,
    );
  }
  const adminPassword = env.ADMIN_PASSWORD || randomBytes(12).toString('base64url');
  return {
    port,
    host,
    dataDir,
    ...(database !== undefined ? { database } : {}),
    adminPassword,
    adminPasswordGenerated: !env.ADMIN_PASSWORD,
    portone,
    preRegister: !flags.has('no-pre-register'),
    verbose: flags.has('verbose'),
    maintenance,
    ...(reconcileAfter !== undefined ? { reconcileAfterMs: parseDuration(reconcileAfter, reconcileAfterWhat) } : {}),
    ...(claimLease !== undefined ? { claimLeaseMs: parseDuration(claimLease, claimLeaseWhat, { min: MIN_CLAIM_LEASE_MS, max: MAX_CLAIM_LEASE_MS }) } : {}),
    ...(prepareLimit.burst > 0 ? { prepareLimit } : {}),
    trustProxy: trustProxy === 'true' || trustProxy === '1',
    help: flags.has('help'),
  };
}
