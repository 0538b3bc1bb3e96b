// PortOne's payment schedules, for the admin page: the embedded sandbox's own list, or, against
// PortOne, its API (`GET /payment-schedules`) with the store's secret, as `@portone/server-sdk` calls it.
import { PortOneClient } from '@portone/server-sdk';
import type { PaymentSchedule } from '@portone/server-sdk/payment/paymentSchedule';
import type { Sandbox } from 'portone-checkout-kit/sandbox';

/** One row of the admin's schedules table. */
export interface ScheduleRow {
  id: string;
  paymentId: string;
  status: string;
  totalAmount: number;
  orderName: string;
  timeToPay: string;
}

export type ListSchedules = () => Promise<ScheduleRow[]>;

/** A schedule in a status this SDK knows (a newer PortOne may answer others, without these fields). */
const rowOf = (schedule: PaymentSchedule): ScheduleRow[] =>
  'id' in schedule
    ? [{ id: schedule.id, paymentId: schedule.paymentId, status: schedule.status, totalAmount: schedule.totalAmount, orderName: schedule.orderName, timeToPay: schedule.timeToPay }]
    : [];

const latestFirst = (rows: ScheduleRow[]): ScheduleRow[] => rows.sort((a, b) => b.timeToPay.localeCompare(a.timeToPay));

export const sandboxSchedules =
  (sandbox: Sandbox): ListSchedules =>
  async () =>
    latestFirst(sandbox.schedules().flatMap(rowOf));

const DAY_MS = 86_400_000;

export function portOneSchedules(settings: { apiSecret: string; storeId: string; apiUrl?: string | undefined }): ListSchedules {
  const client = PortOneClient({ secret: settings.apiSecret, storeId: settings.storeId, ...(settings.apiUrl ? { baseUrl: settings.apiUrl } : {}) });
  return async () => {
    const now = Date.now();
    // Without from/until PortOne lists the last 90 days only, never the charges still to come.
    const { items } = await client.payment.paymentSchedule.getPaymentSchedules({
      page: { number: 0, size: 100 },
      sort: { by: 'TIME_TO_PAY', order: 'DESC' },
      filter: { storeId: settings.storeId, from: new Date(now - 90 * DAY_MS).toISOString(), until: new Date(now + 400 * DAY_MS).toISOString() },
    });
    return latestFirst(items.flatMap(rowOf));
  };
}
