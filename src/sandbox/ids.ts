// Identifiers in the shapes PortOne and KG Inicis hand out, and RFC 3339 timestamps.
import { createHmac, randomBytes, randomInt } from 'node:crypto';

/** A time-ordered UUID (v7), the shape of PortOne's transaction ids. */
export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  const ms = BigInt(Math.max(0, Math.floor(nowMs)));
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export const digits = (count: number): string => Array.from({ length: count }, () => randomInt(10)).join('');

/** `yyyyMMddHHmmss` in Korean time, as PG transaction ids embed it. */
function kstStamp(ms: number): string {
  return new Date(ms + 9 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const TID_METHOD: Record<string, string> = {
  PaymentMethodCard: 'CARD',
  PaymentMethodTransfer: 'DBNK',
  PaymentMethodVirtualAccount: 'VBNK',
  PaymentMethodMobile: 'HPP_',
  PaymentMethodEasyPay: 'CARD',
  PaymentMethodGiftCertificate: 'CULT',
  BillingKey: 'BILL',
};

/**
 * A KG Inicis-style TID (`StdpayCARDINIpayTest20240425190000123456` on PC,
 * `INIMX_CARDINIpayTest…` on mobile, `INIAPICARD…` for API payments).
 */
export function inicisTid(methodType: string, mid: string, nowMs: number, origin: 'pc' | 'mobile' | 'api'): string {
  const prefix = origin === 'pc' ? 'Stdpay' : origin === 'mobile' ? 'INIMX_' : 'INIAPI';
  return `${prefix}${TID_METHOD[methodType] ?? 'CARD'}${mid}${kstStamp(nowMs)}${digits(6)}`;
}

/** A KG Inicis 통합인증 transaction id: the merchant id, the time in Korea and six digits. */
export function inicisAuthTxId(mid: string, nowMs: number): string {
  return `${mid}${kstStamp(nowMs)}${digits(6)}`;
}

/** An eight-digit card or gift-certificate approval number, as PGs hand them out. */
export const approvalNumber = (): string => String(Math.floor(10_000_000 + Math.random() * 89_999_999));

/** A billing key in PortOne's shape (`billing-key-` and a time-ordered UUID). */
export const newBillingKey = (now: number): string => `billing-key-${uuidv7(now)}`;

/** The key in a receipt URL: an HMAC of the payment id, so receipts cannot be enumerated by id. */
export function receiptKey(secret: string, paymentId: string): string {
  return createHmac('sha256', secret).update(`receipt:${paymentId}`).digest('base64url').slice(0, 22);
}
