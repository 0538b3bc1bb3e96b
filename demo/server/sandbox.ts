// The embedded sandbox as the shop runs it: PortOne's stand-in with one channel more than its
// defaults (a manual-approval one for the small batches) and its 통합인증 channel for the adult-only
// product, and the link to its dashboard a page may carry — with the control token on the admin
// page only.
import { randomUUID } from 'node:crypto';
import { createSandbox, type Sandbox, type SandboxChannel, type SandboxOptions } from 'portone-checkout-kit/sandbox';
import type { PageName } from './pages.js';

/** The channels the shop needs besides the sandbox's payment and billing ones, each made when missing. */
const EXTRA_CHANNELS: { has: (channel: SandboxChannel) => boolean; make: () => SandboxChannel }[] = [
  {
    // The small batches: it approves only once the kit confirms, after the shop's reserve.
    has: (channel) => channel.manualApproval === true,
    make: () => ({ key: `channel-key-${randomUUID()}`, name: 'KG이니시스 일반결제 (수동승인, 한정판)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest', manualApproval: true }),
  },
  {
    // 본인인증 for the adult-only product (the sandbox's own default since it verifies identities).
    has: (channel) => channel.pgProvider === 'INICIS_UNIFIED',
    make: () => ({ key: `channel-key-${randomUUID()}`, name: 'KG이니시스 통합인증 (테스트)', type: 'TEST', pgProvider: 'INICIS_UNIFIED', pgMerchantId: 'INIiasTest' }),
  },
];

/**
 * The sandbox with the channels the shop needs. A data directory from before one existed keeps its
 * channels (their keys are on its payments and orders) and gets the missing ones added: the sandbox
 * is started once more with the list extended.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const sandbox = await createSandbox(options);
  const missing = EXTRA_CHANNELS.filter((extra) => !sandbox.channels.some(extra.has));
  if (missing.length === 0) return sandbox;
  const channels = [...sandbox.channels, ...missing.map((extra) => extra.make())];
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
