// `portone-sandbox trigger | replay | tail`: the CLI's subcommands, which talk to a running sandbox
// over its control routes with the control token (`--url`/`--token`, else `PORTONE_API_URL` and
// `PORTONE_SANDBOX_TOKEN`, the names `--env` prints). Failures are one line, never a stack.
import { readFileSync } from 'node:fs';
import { CONTROL_TOKEN_HEADER } from './http/controls.js';
import { TRIGGER_EVENTS, type SandboxTriggerResult, type SandboxWebhookDelivery } from './types.js';

export const TOOLS = ['trigger', 'replay', 'tail'] as const;
export type Tool = (typeof TOOLS)[number];

export const TOOLS_USAGE = `Subcommands (talk to a running sandbox with its control token)
  trigger <event> [--payment-id <id> | --billing-key <key>]
                             Fire a signed webhook: for that payment or key, or one made up now.
                             Events: ${TRIGGER_EVENTS.join(', ')}
  replay <file | ->          Re-sign a captured webhook body (e.g. from production logs) and deliver it
    [--webhook-url <url>]…   …there instead of the sandbox's webhook URLs
  tail                       Print every delivery and its answer as it happens (Ctrl+C stops)

  --url <url>                The sandbox (default $PORTONE_API_URL, else http://127.0.0.1:8787)
  --token <token>            Its control token (default $PORTONE_SANDBOX_TOKEN; printed at start, and by --env)
  --json                     One JSON object per line instead of human lines
`;

export class ToolError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

interface ToolArgs {
  tool: Tool;
  positional: string[];
  url: string;
  token: string;
  json: boolean;
  paymentId?: string;
  billingKey?: string;
  webhookUrls: string[];
}

export function parseToolArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ToolArgs {
  const [tool, ...rest] = argv as [Tool, ...string[]];
  const args: ToolArgs = { tool, positional: [], url: env.PORTONE_API_URL || 'http://127.0.0.1:8787', token: env.PORTONE_SANDBOX_TOKEN ?? '', json: false, webhookUrls: [] };
  const queue = [...rest];
  const take = (flag: string) => {
    const value = queue.shift();
    if (value === undefined || value.startsWith('--')) throw new ToolError(`${tool} ${flag}: expected a value`, 2);
    return value;
  };
  while (queue.length > 0) {
    const arg = queue.shift()!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq !== -1) queue.unshift(arg.slice(eq + 1));
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (flag === '--url') args.url = take(flag);
    else if (flag === '--token') args.token = take(flag);
    else if (flag === '--json') args.json = true;
    else if (flag === '--payment-id' && tool === 'trigger') args.paymentId = take(flag);
    else if (flag === '--billing-key' && tool === 'trigger') args.billingKey = take(flag);
    else if (flag === '--webhook-url' && tool === 'replay') args.webhookUrls.push(take(flag));
    else if (flag.startsWith('--')) throw new ToolError(`${tool}: unknown option ${JSON.stringify(flag)} (see --help)`, 2);
    else args.positional.push(arg);
  }
  if (!/^https?:\/\//.test(args.url)) throw new ToolError(`${tool} --url: expected the sandbox's http(s) URL, got ${JSON.stringify(args.url)}`, 2);
  args.url = args.url.replace(/\/+$/, '');
  if (!args.token) throw new ToolError(`${tool}: needs the sandbox's control token: pass --token or set PORTONE_SANDBOX_TOKEN (printed when the sandbox starts; --env prints it)`, 2);
  const expected = tool === 'tail' ? 0 : 1;
  if (args.positional.length !== expected) {
    const what = tool === 'trigger' ? 'one event, e.g. Transaction.Paid' : tool === 'replay' ? 'one file with the webhook body (or - for stdin)' : 'no arguments';
    throw new ToolError(`${tool}: expected ${what}, got ${args.positional.length ? args.positional.map((p) => JSON.stringify(p)).join(' ') : 'nothing'}`, 2);
  }
  return args;
}

/** A control route's answer, or a one-line `ToolError` saying why not. */
async function control(args: ToolArgs, path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${args.url}${path}`, { ...init, headers: { [CONTROL_TOKEN_HEADER]: args.token, ...init.headers } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message;
    throw new ToolError(`${args.tool}: no sandbox answers at ${args.url}${why ? ` (${why})` : ''}: start one with npx portone-sandbox, or pass --url`);
  }
  if (response.status === 401) throw new ToolError(`${args.tool}: the sandbox at ${args.url} refused the control token: pass the one it printed at start (--token or PORTONE_SANDBOX_TOKEN)`);
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // Plain text already.
    }
    throw new ToolError(`${args.tool}: ${message.split('\n')[0]}`);
  }
  return response;
}

/** One human line per delivery attempt: when, what, where, and how the receiver answered. */
export function deliveryLine(d: SandboxWebhookDelivery): string {
  const outcome = d.dropped ? 'dropped (fault)' : d.status !== undefined ? `${d.status}${d.durationMs !== undefined ? ` in ${d.durationMs} ms` : ''}` : `failed: ${d.error ?? 'no answer'}`;
  const answer = d.responseBody ? `  ${JSON.stringify(d.responseBody.length > 80 ? `${d.responseBody.slice(0, 77)}...` : d.responseBody)}` : '';
  return `${d.at}  ${d.type} → ${d.url}  attempt ${d.attempt}${d.duplicate ? ' (duplicate)' : ''}: ${outcome}${answer}`;
}

function printDeliveries(out: (text: string) => void, deliveries: SandboxWebhookDelivery[]): void {
  if (deliveries.length === 0) out('  (no delivery yet: no webhook URL set, or the first attempt waits on the sandbox clock)');
  for (const d of deliveries) out(`  ${deliveryLine(d)}`);
}

/** Runs one subcommand; resolves when it is done (`tail`: when stopped by `signal` or the sandbox). */
export async function runTool(argv: readonly string[], out: (text: string) => void, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  const args = parseToolArgs(argv, env);
  const post = (path: string, body: unknown) => control(args, path, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
  if (args.tool === 'trigger') {
    const event = args.positional[0]!;
    if (!(TRIGGER_EVENTS as readonly string[]).includes(event)) throw new ToolError(`trigger: unknown event ${JSON.stringify(event)}; one of ${TRIGGER_EVENTS.join(', ')}`, 2);
    const result = (await post('/sandbox/trigger', { event, ...(args.paymentId ? { paymentId: args.paymentId } : {}), ...(args.billingKey ? { billingKey: args.billingKey } : {}) })) as SandboxTriggerResult;
    if (args.json) return out(JSON.stringify(result));
    out(`${event} for ${result.paymentId ? `payment ${result.paymentId}` : `billing key ${result.billingKey}`}`);
    printDeliveries(out, result.deliveries);
    return;
  }
  if (args.tool === 'replay') {
    const file = args.positional[0]!;
    let body: string;
    try {
      body = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw new ToolError(`replay: cannot read ${file === '-' ? 'stdin' : JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const { deliveries } = (await post('/sandbox/replay', { body, ...(args.webhookUrls.length ? { urls: args.webhookUrls } : {}) })) as { deliveries: SandboxWebhookDelivery[] };
    if (args.json) return out(JSON.stringify({ deliveries }));
    out(`replayed ${file === '-' ? 'stdin' : file}, re-signed with the sandbox's webhook secret`);
    printDeliveries(out, deliveries);
    return;
  }
  const response = await control(args, '/sandbox/deliveries/stream', signal ? { signal } : {});
  if (!args.json) out(`Tailing webhook deliveries of ${args.url} (Ctrl+C stops)…`);
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === '') continue; // keep-alive
        out(args.json ? line : deliveryLine(JSON.parse(line) as SandboxWebhookDelivery));
      }
    }
  } catch (error) {
    if (signal?.aborted) return;
    throw new ToolError(`tail: the stream from ${args.url} broke (${(error as Error).message})`);
  }
  if (!signal?.aborted) throw new ToolError(`tail: the sandbox at ${args.url} closed the stream (it stopped)`);
}
