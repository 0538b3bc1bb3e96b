// One opened window (payment, billing key or identity verification) as the checkout server keeps
// it: the normalized request, the channel, how it is scripted to end and, once it ended, the SDK
// response. Persisted with the state.
import type { TransactionKind, WindowOutcome, WindowResponse } from './protocol.js';
import type { NormalizedCheckout } from './rules.js';

/** One opened window. JSON-able: it is persisted with the rest of the state. */
export interface CheckoutTx {
  txId: string;
  kind: TransactionKind;
  status: 'OPEN' | 'DONE';
  createdAt: number;
  /** Sandbox time the window ended (pruning keeps finished windows an hour). */
  completedAt?: number;
  clientOrigin?: string;
  request: NormalizedCheckout;
  channelKey: string;
  manualApproval: boolean;
  /** Scripted ending (page attribute / query flag, or the sandbox's queue). */
  outcome?: WindowOutcome;
  billingKey?: string;
  response?: WindowResponse;
  redirectTo?: string;
}
