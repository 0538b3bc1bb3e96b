// What a sandbox starts with when nothing is given: its channels (KG Inicis payments and 통합인증),
// secrets and test buyer, and the user agents the Node-driven windows present.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxChannel } from './types.js';

/** User agents the Node helpers present, so PC or mobile rules apply as in a browser. */
export const DESKTOP_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
export const MOBILE_USER_AGENT = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36';

/** The buyer the Node helpers use when a request has no `customer`. */
export const SANDBOX_CUSTOMER = { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'buyer@example.com' } as const;

export function defaultChannels(): SandboxChannel[] {
  const key = () => `channel-key-${randomUUID()}`;
  return [
    { key: key(), name: 'KG이니시스 일반결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
    { key: key(), name: 'KG이니시스 카드 정기결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
    { key: key(), name: 'KG이니시스 휴대폰 정기결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
    { key: key(), name: 'KG이니시스 일반결제', type: 'LIVE', pgProvider: 'INICIS_V2', pgMerchantId: 'MOIsandbox' },
    // Last, so the picks by position above stay what they were before identity verification.
    { key: key(), name: 'KG이니시스 통합인증 (테스트)', type: 'TEST', pgProvider: 'INICIS_UNIFIED', pgMerchantId: 'INIiasTest' },
  ];
}

export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
export const generateApiSecret = (): string => randomBytes(60).toString('base64url');
