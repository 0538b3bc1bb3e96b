// Payment schedules: create (`POST /payments/{id}/schedule`), read, list and revoke. Due schedules
// are run by `Charges` (core/charges.ts) at `timeToPay` on the sandbox clock.
import type { BillingKeyPaymentInput } from '@portone/server-sdk/common';
import type {
  CreatePaymentScheduleResponse,
  RevokePaymentSchedulesResponse,
  ScheduledPaymentSchedule,
} from '@portone/server-sdk/payment/paymentSchedule';
import { ApiError } from '../errors.js';
import * as input from '../input.js';
import { iso, uuidv7 } from '../ids.js';
import { SETTLED_STATUSES } from '../payments.js';
import { RawJson, read, type RestContext } from './context.js';
import { readBillingKeyPayment } from './readers.js';

export function createPaymentSchedule(ctx: RestContext): CreatePaymentScheduleResponse {
  const { core } = ctx;
  const { runtime, charges } = core;
  const paymentId = ctx.params[0]!;
  const payment = read(() => input.object(ctx.body.payment, 'payment'));
  const timeToPay = read(() => input.dateTime(ctx.body.timeToPay, 'timeToPay'));
  let parsed: ReturnType<typeof readBillingKeyPayment>;
  try {
    parsed = readBillingKeyPayment(core, payment, 'payment.');
  } catch (error) {
    // Schedules report channel problems as bad input (CHANNEL_NOT_FOUND is not among their errors).
    if (error instanceof ApiError && error.type === 'CHANNEL_NOT_FOUND') throw new ApiError('INVALID_REQUEST', error.message);
    throw error;
  }
  const existing = runtime.state.payments.get(paymentId);
  if (existing && SETTLED_STATUSES.has(existing.payment.status)) {
    throw new ApiError('ALREADY_PAID_OR_WAITING', `Payment ${JSON.stringify(paymentId)} is already ${existing.payment.status}.`);
  }
  for (const s of runtime.state.schedules.values()) {
    if (s.schedule.paymentId === paymentId && s.schedule.status === 'SCHEDULED') {
      throw new ApiError('PAYMENT_SCHEDULE_ALREADY_EXISTS', `Payment ${JSON.stringify(paymentId)} already has schedule ${s.schedule.id}.`);
    }
  }
  const { parsed: p, key, customer } = parsed;
  const at = runtime.now();
  const schedule: ScheduledPaymentSchedule = {
    status: 'SCHEDULED',
    id: uuidv7(at),
    merchantId: runtime.credentials.merchantId,
    storeId: runtime.storeId,
    paymentId,
    billingKey: key.billingKey,
    orderName: p.orderName,
    isCulturalExpense: false,
    isEscrow: false,
    customer,
    customData: p.customData ?? '',
    totalAmount: p.amount.total,
    taxFreeAmount: p.amount.taxFree,
    ...(p.amount.vat !== undefined ? { vatAmount: p.amount.vat } : {}),
    currency: p.currency,
    ...(p.installmentMonth !== undefined ? { installmentMonth: p.installmentMonth } : {}),
    ...(p.noticeUrls ? { noticeUrls: p.noticeUrls } : {}),
    ...(p.products ? { products: p.products } : {}),
    createdAt: iso(at),
    timeToPay: iso(timeToPay),
  };
  const stored: BillingKeyPaymentInput = {
    billingKey: key.billingKey,
    ...(p.channelKey ? { channelKey: p.channelKey } : {}),
    orderName: p.orderName,
    ...(p.customer ? { customer: p.customer } : {}),
    ...(p.customData !== undefined ? { customData: p.customData } : {}),
    amount: { total: p.amount.total, taxFree: p.amount.taxFree, ...(p.amount.vat !== undefined ? { vat: p.amount.vat } : {}) },
    currency: p.currency,
    ...(p.installmentMonth !== undefined ? { installmentMonth: p.installmentMonth } : {}),
    ...(p.noticeUrls ? { noticeUrls: p.noticeUrls } : {}),
    ...(p.products ? { products: p.products } : {}),
    ...(p.productCount !== undefined ? { productCount: p.productCount } : {}),
  };
  const entry = { schedule, input: stored };
  runtime.state.schedules.set(schedule.id, entry);
  charges.armSchedule(entry);
  runtime.persist();
  return { schedule: { id: schedule.id } };
}

export function getPaymentSchedule(ctx: RestContext): RawJson {
  const { runtime } = ctx.core;
  runtime.checkStore(ctx.query.get('storeId') ?? undefined);
  const entry = runtime.state.schedules.get(ctx.params[0]!);
  if (!entry) throw new ApiError('PAYMENT_SCHEDULE_NOT_FOUND', `Payment schedule ${JSON.stringify(ctx.params[0])} does not exist in store ${runtime.storeId}.`);
  return new RawJson(JSON.stringify(entry.schedule));
}

/** `DELETE /payment-schedules?requestBody={storeId, billingKey, scheduleIds}`: all or nothing. */
export function revokePaymentSchedules(ctx: RestContext): RevokePaymentSchedulesResponse {
  const { runtime, ledger, charges } = ctx.core;
  const body = read(() => {
    const b = ctx.body;
    return {
      storeId: input.optString(b.storeId, 'storeId'),
      billingKey: input.optString(b.billingKey, 'billingKey'),
      scheduleIds: input.optStringArray(b.scheduleIds, 'scheduleIds'),
    };
  });
  runtime.checkStore(body.storeId);
  if (!body.billingKey && !body.scheduleIds?.length) throw new ApiError('INVALID_REQUEST', 'Expected `billingKey` or `scheduleIds` (or both), got neither.');
  if (body.billingKey) {
    const key = ledger.requireBillingKey(body.billingKey);
    if (key.status === 'DELETED') throw new ApiError('BILLING_KEY_ALREADY_DELETED', `Billing key ${JSON.stringify(body.billingKey)} is already deleted.`);
  }
  const targets = body.scheduleIds?.length
    ? body.scheduleIds.map((id) => {
        const entry = runtime.state.schedules.get(id);
        if (!entry) throw new ApiError('PAYMENT_SCHEDULE_NOT_FOUND', `Payment schedule ${JSON.stringify(id)} does not exist.`);
        if (body.billingKey && entry.schedule.billingKey !== body.billingKey) {
          throw new ApiError('INVALID_REQUEST', `Schedule ${id} charges billing key ${entry.schedule.billingKey}, not ${body.billingKey}.`);
        }
        if (entry.schedule.status === 'REVOKED') throw new ApiError('PAYMENT_SCHEDULE_ALREADY_REVOKED', `Payment schedule ${id} is already revoked.`);
        if (entry.schedule.status !== 'SCHEDULED') throw new ApiError('PAYMENT_SCHEDULE_ALREADY_PROCESSED', `Payment schedule ${id} is already ${entry.schedule.status}.`);
        return entry;
      })
    : [...runtime.state.schedules.values()].filter((e) => e.schedule.billingKey === body.billingKey && e.schedule.status === 'SCHEDULED');
  const revokedAt = iso(runtime.now());
  for (const entry of targets) {
    const { status: _status, ...rest } = entry.schedule;
    entry.schedule = { ...rest, status: 'REVOKED', revokedAt };
    charges.disarmSchedule(entry.schedule.id);
  }
  runtime.persist();
  return { revokedScheduleIds: targets.map((e) => e.schedule.id), revokedAt };
}
