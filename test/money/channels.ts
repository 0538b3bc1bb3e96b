// The sandbox's channels for the checker: its usual ones (a card channel first, so plain scenarios
// use it), and two manual-approval (수동 승인) ones for the gated scenarios.
import { randomUUID } from 'node:crypto';
import type { SandboxChannel } from '../../src/sandbox/index.js';

export function checkerChannels(): { channels: SandboxChannel[]; manual: { payment: string; billingKeyAndPay: string } } {
  const key = (name: string) => `channel-${name}-${randomUUID()}`;
  const manual = { payment: key('manual-pay'), billingKeyAndPay: key('manual-phone') };
  return {
    manual,
    channels: [
      { key: key('pay'), name: 'KG이니시스 일반결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
      { key: key('bill'), name: 'KG이니시스 카드 정기결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
      { key: key('phone'), name: 'KG이니시스 휴대폰 정기결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
      { key: key('live'), name: 'KG이니시스 일반결제', type: 'LIVE', pgProvider: 'INICIS_V2', pgMerchantId: 'MOIsandbox' },
      { key: manual.payment, name: 'KG이니시스 일반결제 (수동승인)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest', manualApproval: true },
      { key: manual.billingKeyAndPay, name: 'KG이니시스 휴대폰 정기결제 (수동승인)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst', manualApproval: true },
    ],
  };
}
