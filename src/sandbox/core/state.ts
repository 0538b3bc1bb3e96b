// Everything the sandbox remembers, in plain JSON-able records so it can be written to and read
// from a file (`persistPath`). Cached serializations and timers live beside, never inside, them.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BillingKeyPaymentInput } from '@portone/server-sdk/common';
import type { DeletedBillingKeyInfo, IssuedBillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type { PaymentMethod } from '@portone/server-sdk/payment';
import type { KnownPayment } from '../payments.js';
import type { KnownPaymentSchedule, SandboxChannel } from '../types.js';
import type { CheckoutTx } from '../checkout/transaction.js';
import type { IdentityAgency, IdentityCarrier, KnownIdentityVerification } from '../identity/types.js';
import type { WebhookJob } from '../webhooks.js';
import type { SavedClock } from './clock.js';

export type KnownBillingKeyInfo = IssuedBillingKeyInfo | DeletedBillingKeyInfo;

export interface PaymentEntry {
  payment: KnownPayment;
  /** Where this payment's webhooks go (the request's `noticeUrls`), when given. */
  noticeUrls?: string[];
  /** How the attempt was made, for PG transaction ids. */
  origin: 'pc' | 'mobile' | 'api';
  /**
   * Manual approval: the token the window handed out, what confirming it will do, and until when
   * (sandbox time) KG Inicis still approves it (absent in files written before tokens expired).
   */
  pendingConfirm?: { paymentToken: string; txId: string; method: PaymentMethod; isVirtualAccount: boolean; expiresAt?: number };
  /** Manual re-sends per original webhook id. */
  manualResends?: Record<string, number>;
}

export interface BillingKeyEntry {
  billingKey: string;
  /** READY while its window is open, FAILED when that window failed; only ISSUED/DELETED are visible over REST. */
  status: 'READY' | 'ISSUED' | 'FAILED' | 'DELETED';
  info?: KnownBillingKeyInfo;
  /** How the key was issued: a window on PC or a phone, or the API (`platformType` in lists). Absent in older files. */
  origin?: 'pc' | 'mobile' | 'api';
  /** The card behind the key (test-card behaviour for later charges). */
  cardNumber?: string;
  noticeUrls?: string[];
  /** Manual approval: token the window handed out. */
  billingIssueToken?: string;
  /** Until when (sandbox time) KG Inicis still issues the key for that token (absent in older files). */
  billingIssueTokenExpiresAt?: number;
  /** For issue-and-pay: the payment the key was issued with. */
  paymentId?: string;
}

export interface IdentityVerificationEntry {
  verification: KnownIdentityVerification;
  /** The current attempt's `identityVerificationTxId` (the list filter's; the REST object has no field for it). */
  txId: string;
  /** How the attempt was made, for PG transaction ids. */
  origin: 'pc' | 'mobile';
  /** What the shopper chose in the window (KG Inicis reports neither as a field; the dashboard shows them). */
  agency?: IdentityAgency;
  carrier?: IdentityCarrier;
}

export interface ScheduleEntry {
  schedule: KnownPaymentSchedule;
  /** The billing-key payment to make at `timeToPay`. */
  input: BillingKeyPaymentInput;
}

export interface PreRegistration {
  totalAmount?: number;
  taxFreeAmount?: number;
  currency?: string;
}

export interface Credentials {
  storeId: string;
  merchantId: string;
  apiSecret: string;
  webhookSecrets: string[];
  channels: SandboxChannel[];
  /** What the sandbox's control routes require (`X-PortOne-Sandbox-Token`); also keys receipt URLs. */
  controlToken: string;
}

/** What `persistPath` holds. */
export interface Snapshot {
  version: 1;
  /** `controlToken` is absent in files written before the controls needed one. */
  credentials: Omit<Credentials, 'controlToken'> & { controlToken?: string };
  payments: [string, PaymentEntry][];
  billingKeys: [string, BillingKeyEntry][];
  schedules: [string, ScheduleEntry][];
  preRegistrations: [string, PreRegistration][];
  checkouts: [string, CheckoutTx][];
  /** Absent in files written before identity verification was emulated. */
  identityVerifications?: [string, IdentityVerificationEntry][];
  webhookJobs: WebhookJob[];
  /** Absent in files written before the clock was kept. */
  clock?: SavedClock;
}

/** Finished windows are kept this long (sandbox time) for a reload of their page, and at most this many. */
export const FINISHED_WINDOW_TTL_MS = 3_600_000;
export const MAX_FINISHED_WINDOWS = 200;
/** Windows never finished (the shopper walked away) beyond this many are forgotten, oldest first. */
export const MAX_OPEN_WINDOWS = 1_000;

export class State {
  readonly payments = new Map<string, PaymentEntry>();
  /** Serialized `Payment` per id, rebuilt lazily: the `GET /payments/{id}` hot path sends these bytes. */
  private readonly paymentJson = new Map<string, Buffer>();
  readonly billingKeys = new Map<string, BillingKeyEntry>();
  readonly schedules = new Map<string, ScheduleEntry>();
  readonly preRegistrations = new Map<string, PreRegistration>();
  readonly checkouts = new Map<string, CheckoutTx>();
  readonly identityVerifications = new Map<string, IdentityVerificationEntry>();

  /** The payment's JSON as UTF-8 bytes, cached until the payment changes. */
  paymentBody(id: string): Buffer | undefined {
    const cached = this.paymentJson.get(id);
    if (cached !== undefined) return cached;
    const entry = this.payments.get(id);
    if (!entry) return undefined;
    const body = Buffer.from(JSON.stringify(entry.payment));
    this.paymentJson.set(id, body);
    return body;
  }

  paymentJsonOf(id: string): string | undefined {
    return this.paymentBody(id)?.toString('utf8');
  }

  setPayment(entry: PaymentEntry, payment: KnownPayment): void {
    entry.payment = payment;
    this.payments.set(payment.id, entry);
    this.paymentJson.delete(payment.id);
  }

  /**
   * Forgets windows nobody will come back to, so a long-running sandbox (and its state file) does
   * not grow with every window ever opened: finished ones after `FINISHED_WINDOW_TTL_MS` or beyond
   * `MAX_FINISHED_WINDOWS`, unfinished ones beyond `MAX_OPEN_WINDOWS`. Oldest first (Map order).
   */
  pruneCheckouts(now: number): void {
    let finished = 0;
    let open = 0;
    for (const tx of this.checkouts.values()) tx.status === 'DONE' ? finished++ : open++;
    for (const [txId, tx] of this.checkouts) {
      if (tx.status === 'DONE') {
        if (finished > MAX_FINISHED_WINDOWS || now - (tx.completedAt ?? tx.createdAt) > FINISHED_WINDOW_TTL_MS) {
          this.checkouts.delete(txId);
          finished--;
        }
      } else if (open > MAX_OPEN_WINDOWS) {
        this.checkouts.delete(txId);
        open--;
      }
    }
  }

  /** Call after mutating `entry.payment` in place (webhook records). */
  touchPayment(id: string): void {
    this.paymentJson.delete(id);
  }

  clear(): void {
    this.payments.clear();
    this.paymentJson.clear();
    this.billingKeys.clear();
    this.schedules.clear();
    this.preRegistrations.clear();
    this.checkouts.clear();
    this.identityVerifications.clear();
  }

  snapshot(credentials: Credentials, webhookJobs: WebhookJob[], clock: SavedClock): Snapshot {
    return {
      version: 1,
      credentials,
      clock,
      payments: [...this.payments],
      billingKeys: [...this.billingKeys],
      schedules: [...this.schedules],
      preRegistrations: [...this.preRegistrations],
      checkouts: [...this.checkouts],
      identityVerifications: [...this.identityVerifications],
      webhookJobs,
    };
  }

  restore(snapshot: Snapshot): void {
    this.clear();
    for (const [k, v] of snapshot.payments) this.payments.set(k, v);
    for (const [k, v] of snapshot.billingKeys) this.billingKeys.set(k, v);
    for (const [k, v] of snapshot.schedules) this.schedules.set(k, v);
    for (const [k, v] of snapshot.preRegistrations) this.preRegistrations.set(k, v);
    for (const [k, v] of snapshot.checkouts) this.checkouts.set(k, v);
    for (const [k, v] of snapshot.identityVerifications ?? []) this.identityVerifications.set(k, v);
  }
}

export function readSnapshot(path: string): Snapshot | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Snapshot;
  if (parsed?.version !== 1) throw new Error(`${path}: not a sandbox state file (expected "version": 1)`);
  return parsed;
}

/** Writes atomically (temp file + rename), so a crash never leaves half a file. */
export function writeSnapshot(path: string, snapshot: Snapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, path);
}
