// The identity verifications the sandbox holds, in exactly the shapes of `@portone/server-sdk`'s
// `IdentityVerification` union, and their transitions: an attempt opens READY (replacing an
// earlier READY or FAILED one), then ends VERIFIED or FAILED. PortOne sends no webhook for
// identity verifications (the 2024-04-25 webhooks have none), so none is sent here.
import type { IdentityVerificationRequestedCustomer, IdentityVerificationVerifiedCustomer } from '@portone/server-sdk/identityVerification';
import type { Runtime } from '../core/runtime.js';
import type { IdentityVerificationEntry } from '../core/state.js';
import { ApiError } from '../errors.js';
import { iso } from '../ids.js';
import { selectedChannel } from '../payments.js';
import type { SandboxChannel } from '../types.js';
import { diOf } from './persons.js';
import type { SandboxVerifiedPerson } from './types.js';

/** `requestedCustomer`: the customer as the request named them, phone digits only (as PortOne's schema says). */
export function requestedCustomer(c: { customerId?: string; fullName?: string; firstName?: string; lastName?: string; phoneNumber?: string; birthYear?: string; birthMonth?: string; birthDay?: string }): IdentityVerificationRequestedCustomer {
  const name = c.fullName ?? (c.lastName && c.firstName ? `${c.lastName} ${c.firstName}` : undefined);
  return {
    ...(c.customerId ? { id: c.customerId } : {}),
    ...(name ? { name } : {}),
    ...(c.phoneNumber ? { phoneNumber: c.phoneNumber.replace(/\D/g, '') } : {}),
    ...(c.birthYear ? { birthYear: c.birthYear } : {}),
    ...(c.birthMonth ? { birthMonth: c.birthMonth } : {}),
    ...(c.birthDay ? { birthDay: c.birthDay } : {}),
  };
}

/** KG Inicis 통합인증's CI: reported by every 인증 업체 but 카카오 (PortOne's `ci` field notes). */
export const reportsCi = (agency: string): boolean => agency !== 'KAKAO';

/**
 * `verifiedCustomer` as KG Inicis reports it through PortOne (the schema's per-PG notes): name,
 * phone, birth date, gender and foreigner flag always; CI except through 카카오; never a DI nor
 * the carrier (`operator`). `id` is the customer id the request sent.
 */
export function verifiedCustomer(person: SandboxVerifiedPerson, agency: string, customerId: string | undefined): IdentityVerificationVerifiedCustomer {
  return {
    ...(customerId ? { id: customerId } : {}),
    name: person.name,
    phoneNumber: person.phoneNumber,
    birthDate: person.birthDate,
    gender: person.gender,
    isForeigner: person.isForeigner,
    ...(reportsCi(agency) ? { ci: person.ci } : {}),
  };
}

/**
 * The raw answer of KG Inicis 통합인증 (`pgRawResponse`), in the field names of its result API
 * (the sandbox's rendition: values in plain text). Its `userDi` is the DI for this site — KG
 * Inicis's merchant id and the shop's `DI_CODE` — which PortOne does not copy into `verifiedCustomer`.
 */
export function inicisRawResponse(fields: { person: SandboxVerifiedPerson; agency: string; pgTxId: string; identityVerificationId: string; pgMerchantId: string; diCode?: string }): string {
  const { person } = fields;
  const ci = reportsCi(fields.agency) ? person.ci : '';
  return JSON.stringify({
    resultCode: '0000',
    resultMsg: '성공',
    providerDevCd: fields.agency,
    svcCd: '01',
    txId: fields.pgTxId,
    mTxId: fields.identityVerificationId,
    userName: person.name,
    userPhone: person.phoneNumber,
    userBirthday: person.birthDate.replace(/-/g, ''),
    userGender: person.gender === 'MALE' ? 'M' : 'F',
    isForeign: person.isForeigner ? '1' : '0',
    userCi: ci,
    userDi: ci ? diOf(ci, fields.pgMerchantId, fields.diCode ?? '') : '',
  });
}

export class IdentityVerifications {
  constructor(private readonly runtime: Runtime) {}

  require(id: string): IdentityVerificationEntry {
    const entry = this.runtime.state.identityVerifications.get(id);
    if (!entry) throw new ApiError('IDENTITY_VERIFICATION_NOT_FOUND', `Identity verification ${JSON.stringify(id)} does not exist in store ${this.runtime.storeId}.`);
    return entry;
  }

  /** A fresh READY attempt at `id` (an earlier READY or FAILED one is replaced; a VERIFIED one never is). */
  startAttempt(id: string, fields: { txId: string; channel: SandboxChannel; customer: IdentityVerificationRequestedCustomer; customData?: string; origin: 'pc' | 'mobile' }): IdentityVerificationEntry {
    const at = iso(this.runtime.now());
    const entry: IdentityVerificationEntry = {
      txId: fields.txId,
      origin: fields.origin,
      verification: {
        status: 'READY',
        id,
        channel: selectedChannel(fields.channel),
        requestedCustomer: fields.customer,
        ...(fields.customData !== undefined ? { customData: fields.customData } : {}),
        requestedAt: at,
        updatedAt: at,
        statusChangedAt: at,
        version: 'V2',
      },
    };
    this.runtime.state.identityVerifications.set(id, entry);
    this.runtime.persist();
    return entry;
  }

  markVerified(entry: IdentityVerificationEntry, result: { customer: IdentityVerificationVerifiedCustomer; pgTxId: string; pgRawResponse: string; agency: IdentityVerificationEntry['agency']; carrier?: IdentityVerificationEntry['carrier'] }): void {
    const ready = entry.verification;
    if (ready.status !== 'READY') throw new Error(`identity verification ${ready.id} is ${ready.status}, not READY`);
    const at = iso(this.runtime.now());
    entry.verification = {
      status: 'VERIFIED',
      id: ready.id,
      ...(ready.channel ? { channel: ready.channel } : {}),
      verifiedCustomer: result.customer,
      ...(ready.customData !== undefined ? { customData: ready.customData } : {}),
      requestedAt: ready.requestedAt,
      updatedAt: at,
      statusChangedAt: at,
      verifiedAt: at,
      pgTxId: result.pgTxId,
      pgRawResponse: result.pgRawResponse,
      version: 'V2',
    };
    if (result.agency) entry.agency = result.agency;
    if (result.carrier) entry.carrier = result.carrier;
    this.runtime.persist();
  }

  markFailed(entry: IdentityVerificationEntry, failure: { reason: string; pgCode?: string; pgMessage?: string }, pgTxId?: string): void {
    const ready = entry.verification;
    if (ready.status !== 'READY') throw new Error(`identity verification ${ready.id} is ${ready.status}, not READY`);
    const at = iso(this.runtime.now());
    entry.verification = {
      status: 'FAILED',
      id: ready.id,
      ...(ready.channel ? { channel: ready.channel } : {}),
      requestedCustomer: ready.requestedCustomer,
      ...(ready.customData !== undefined ? { customData: ready.customData } : {}),
      requestedAt: ready.requestedAt,
      updatedAt: at,
      statusChangedAt: at,
      failure,
      version: 'V2',
      ...(pgTxId ? { pgTxId } : {}),
    };
    this.runtime.persist();
  }
}
