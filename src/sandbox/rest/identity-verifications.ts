// Identity verification endpoints: `GET /identity-verifications/{id}` and the list with every
// `IdentityVerificationFilterInput` field — applied to what the sandbox records, or, for what
// KG Inicis never reports (the carrier), matching nothing; PortOne's defaults as for the other lists.
import type { GetIdentityVerificationsResponse } from '@portone/server-sdk/identityVerification';
import type { IdentityVerificationEntry } from '../core/state.js';
import type { KnownIdentityVerification } from '../identity/types.js';
import * as input from '../input.js';
import { RawJson, read, type RestContext } from './context.js';
import { ms, paged, readPage, readWindow, within } from './lists.js';

export function getIdentityVerification(ctx: RestContext): RawJson {
  const { runtime, identities } = ctx.core;
  runtime.checkStore(ctx.query.get('storeId') ?? undefined);
  return new RawJson(JSON.stringify(identities.require(ctx.params[0]!).verification));
}

const TIME_FIELDS = ['REQUESTED_AT', 'VERIFIED_AT', 'FAILED_AT', 'STATUS_UPDATED_AT'] as const;
type TimeField = (typeof TIME_FIELDS)[number];

/** The moment a time field names: `FAILED_AT` is when a FAILED one changed status (it has no `failedAt`). */
function stamp(v: KnownIdentityVerification, field: TimeField): string | undefined {
  if (field === 'REQUESTED_AT') return v.requestedAt;
  if (field === 'VERIFIED_AT') return v.status === 'VERIFIED' ? v.verifiedAt : undefined;
  if (field === 'FAILED_AT') return v.status === 'FAILED' ? v.statusChangedAt : undefined;
  return v.statusChangedAt;
}

/** KG Inicis 통합인증's PG company (`pgCompanies` filter). */
const PG_COMPANY: Record<string, string> = { INICIS_UNIFIED: 'INICIS', INICIS_V2: 'INICIS' };

/** The customer a filter's `customer` is held to: the verified one once verified, else the requested one. */
function filterCustomer(v: KnownIdentityVerification): Record<string, string | undefined> {
  if (v.status === 'VERIFIED') {
    const [year, month, day] = (v.verifiedCustomer.birthDate ?? '').split('-');
    return { name: v.verifiedCustomer.name, phoneNumber: v.verifiedCustomer.phoneNumber, birthYear: year, birthMonth: month, birthDay: day, gender: v.verifiedCustomer.gender };
  }
  const c = v.requestedCustomer;
  return { name: c.name, phoneNumber: c.phoneNumber, birthYear: c.birthYear, birthMonth: c.birthMonth, birthDay: c.birthDay, gender: undefined };
}

/** `GET /identity-verifications?requestBody={page, sort, filter}`. */
export function listIdentityVerifications(ctx: RestContext): GetIdentityVerificationsResponse {
  const { runtime } = ctx.core;
  const q = read(() => {
    const sort = input.optObject(ctx.body.sort, 'sort') ?? {};
    const filter = input.optObject(ctx.body.filter, 'filter') ?? {};
    const customer = input.optObject(filter.customer, 'filter.customer');
    return {
      page: readPage(ctx.body),
      by: input.optOneOf(sort.by, 'sort.by', TIME_FIELDS) ?? 'REQUESTED_AT',
      order: input.optOneOf(sort.order, 'sort.order', ['DESC', 'ASC']) ?? 'DESC',
      storeId: input.optString(filter.storeId, 'filter.storeId'),
      timeRangeField: input.optOneOf(filter.timeRangeField, 'filter.timeRangeField', TIME_FIELDS) ?? 'REQUESTED_AT',
      window: readWindow(filter, runtime.now()),
      identityVerificationId: input.optString(filter.identityVerificationId, 'filter.identityVerificationId'),
      identityVerificationTxId: input.optString(filter.identityVerificationTxId, 'filter.identityVerificationTxId'),
      isTest: input.optBoolean(filter.isTest, 'filter.isTest'),
      statuses: input.optStringArray(filter.statuses, 'filter.statuses'),
      pgTxId: input.optString(filter.pgTxId, 'filter.pgTxId'),
      pgMerchantId: input.optString(filter.pgMerchantId, 'filter.pgMerchantId'),
      pgProviders: input.optStringArray(filter.pgProviders, 'filter.pgProviders'),
      pgCompanies: input.optStringArray(filter.pgCompanies, 'filter.pgCompanies'),
      carriers: input.optStringArray(filter.carriers, 'filter.carriers'),
      version: input.optString(filter.version, 'filter.version'),
      customer: customer
        ? Object.fromEntries(['name', 'birthYear', 'birthMonth', 'birthDay', 'phoneNumber', 'gender'].flatMap((key) => {
            const value = input.optString(customer[key], `filter.customer.${key}`);
            return value === undefined ? [] : [[key, value]];
          }))
        : undefined,
    };
  });
  runtime.checkStore(q.storeId);
  const matches = ({ verification: v, txId }: IdentityVerificationEntry): boolean => {
    const who = filterCustomer(v);
    return (
      within(stamp(v, q.timeRangeField), q.window) &&
      (q.identityVerificationId === undefined || v.id === q.identityVerificationId) &&
      (q.identityVerificationTxId === undefined || txId === q.identityVerificationTxId) &&
      (q.isTest === undefined || (v.channel?.type === 'TEST') === q.isTest) &&
      (!q.statuses?.length || q.statuses.includes(v.status)) &&
      (q.pgTxId === undefined || ('pgTxId' in v && v.pgTxId === q.pgTxId)) &&
      (q.pgMerchantId === undefined || v.channel?.pgMerchantId === q.pgMerchantId) &&
      (!q.pgProviders?.length || (v.channel !== undefined && q.pgProviders.includes(v.channel.pgProvider))) &&
      (!q.pgCompanies?.length || (v.channel !== undefined && q.pgCompanies.includes(PG_COMPANY[v.channel.pgProvider] ?? ''))) &&
      // KG Inicis reports no carrier (`operator`), so a carrier filter finds none of its verifications.
      (!q.carriers?.length || (v.status === 'VERIFIED' && v.verifiedCustomer.operator !== undefined && q.carriers.includes(v.verifiedCustomer.operator))) &&
      (q.version === undefined || v.version === q.version) &&
      (q.customer === undefined || Object.entries(q.customer).every(([key, value]) => who[key] === value))
    );
  };
  const entries = [...runtime.state.identityVerifications.values()].filter(matches).map((e) => e.verification);
  const key = (v: KnownIdentityVerification) => ms(stamp(v, q.by));
  entries.sort((a, b) => (q.order === 'ASC' ? key(a) - key(b) : key(b) - key(a)));
  return paged(entries, q.page);
}
