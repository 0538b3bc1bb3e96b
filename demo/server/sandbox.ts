// The embedded sandbox as the shop runs it: PortOne's stand-in with one channel more than its
// defaults (a manual-approval one for the small batches), and the link to its dashboard a page may
// carry — with the control token on the admin page only.
import { randomUUID } from 'node:crypto';
import { createSandbox, type Sandbox, type SandboxChannel, type SandboxOptions } from 'portone-checkout-kit/sandbox';
import type { PageName } from './pages.js';

/** The sandbox channel the small batches are sold through: it approves only once the kit confirms. */
const LIMITED_CHANNEL_NAME = 'KG이니시스 일반결제 (수동승인, 한정판)';

/**
 * The sandbox with one channel more than its defaults: a manual-approval one for the small batches.
 * A data directory from before it existed keeps its channels (their keys are on its payments and
 * orders) and gets the new one added: the sandbox is started once more with the list extended.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const sandbox = await createSandbox(options);
  if (sandbox.channels.some((channel) => channel.manualApproval)) return sandbox;
  const limited: SandboxChannel = { key: `channel-key-${randomUUID()}`, name: LIMITED_CHANNEL_NAME, type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest', manualApproval: true };
  const channels = [...sandbox.channels, limited];
  await sandbox.close();
  return createSandbox({ ...options, channels });
}

/**
 * The sandbox dashboard as a page links it. Its `#token=…` is the sandbox's control token: whoever
 * holds it can deposit into any virtual account, move the clock and inject faults. So only /admin
 * (behind its password) links it with the token; a shop page links the bare dashboard, which asks
 * for the token before it shows or does anything.
 */
export function dashboardLink(sandbox: Pick<Sandbox, 'dashboardUrl'>, page: PageName | 'catalog'): string {
  if (page === 'admin') return sandbox.dashboardUrl;
  const url = new URL(sandbox.dashboardUrl);
  url.hash = '';
  return url.href;
}
