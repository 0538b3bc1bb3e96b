// The checkout server behind the simulated KG Inicis 통합인증 window: `prepare` validates a
// `requestIdentityVerification` request like PortOne (store, identity channel, an id not verified
// yet, KG Inicis's rules) and opens a READY attempt; `complete` applies how the shopper ended the
// window — verified as a person, failed, or cancelled — and returns the SDK's exact result.
import type { Decline } from '../catalog.js';
import type { SandboxCore } from '../core/core.js';
import type { Runtime } from '../core/runtime.js';
import type { IdentityVerificationEntry } from '../core/state.js';
import { inicisAuthTxId, uuidv7 } from '../ids.js';
import { namedPerson, testPersonAt, TEST_PERSONS } from '../identity/persons.js';
import { IDENTITY_CANCEL_MESSAGE, IDENTITY_FAILURES, identityFailure, normalizeIdentityVerification, readIdentityOutcome } from '../identity/rules.js';
import type { IdentityVerificationResponse } from '../../client/portone-types.js';
import type { SandboxIdentityOutcome, SandboxVerifiedPerson } from '../identity/types.js';
import { inicisRawResponse, requestedCustomer, verifiedCustomer, type IdentityVerifications } from '../identity/verifications.js';
import { windowPath, withResultQuery, type CompleteAnswer, type PrepareAnswer } from './protocol.js';
import { CheckoutRejection, type IdentityWindow } from './rules.js';
import type { CheckoutTx } from './transaction.js';

type Approve = Extract<SandboxIdentityOutcome, { result: 'approve' }>;
type Verdict = { verified: SandboxVerifiedPerson; agency: NonNullable<Approve['agency']>; carrier?: NonNullable<Approve['carrier']> } | { failed: Decline };

/** Who verifies, and whether KG Inicis lets them: the carrier must be theirs (PASS), a fixed user must be them. */
export function identityVerdict(outcome: Approve, window: IdentityWindow, now: number): Verdict {
  const fixed = window.fixedUser;
  let person: SandboxVerifiedPerson;
  if (typeof outcome.person === 'string') person = testPersonAt(outcome.person, now);
  else if (outcome.person) person = namedPerson(outcome.person);
  else if (fixed) {
    // The window is fixed to the requested customer: the shopper is them (a test person when one matches).
    const match = TEST_PERSONS.map((p) => testPersonAt(p.key, now)).find((p) => p.name === fixed.name && p.phoneNumber === fixed.phoneNumber && p.birthDate === fixed.birthDate);
    person = match ?? namedPerson({ name: fixed.name, phoneNumber: fixed.phoneNumber, birthDate: fixed.birthDate, gender: fixed.gender ?? 'MALE' });
  } else person = testPersonAt('adult', now);
  if (window.directAgency && outcome.agency && outcome.agency !== window.directAgency) {
    throw new CheckoutRejection('BadRequest', `\`agency\`: directAgency fixes the 인증 업체 to ${window.directAgency}, the outcome chose ${outcome.agency}`);
  }
  const agency = window.directAgency ?? outcome.agency ?? person.agency;
  if (agency === 'SMS') return { failed: identityFailure('I900') };
  const usesCarrier = agency === 'PASS';
  const carrier = usesCarrier ? outcome.carrier ?? person.carrier : undefined;
  if (carrier && carrier !== person.carrier) return { failed: identityFailure('I103') };
  if (fixed && (person.name !== fixed.name || person.phoneNumber !== fixed.phoneNumber || person.birthDate !== fixed.birthDate)) return { failed: identityFailure('I104') };
  return { verified: { ...person, agency }, agency, ...(carrier ? { carrier } : {}) };
}

export class IdentityCheckout {
  private readonly runtime: Runtime;
  private readonly identities: IdentityVerifications;

  constructor(core: SandboxCore) {
    this.runtime = core.runtime;
    this.identities = core.identities;
  }

  prepare(raw: unknown, client: { userAgent: string; origin?: string; outcome?: SandboxIdentityOutcome }, device: 'pc' | 'mobile'): { tx: CheckoutTx; answer: PrepareAnswer } {
    const { runtime } = this;
    const request = normalizeIdentityVerification(raw, device);
    const id = request.identityVerificationId!;
    const reject = (code: string, message: string) => Object.assign(new CheckoutRejection(code, message), { identityVerificationId: id });
    if (request.storeId !== runtime.storeId) {
      throw reject('StoreNotFound', `상점을 찾을 수 없습니다. (storeId ${JSON.stringify(request.storeId)} is not this sandbox's store ${runtime.storeId})`);
    }
    const channel = runtime.channel(request.channelKey);
    if (!channel) throw reject('ChannelNotFound', `채널을 찾을 수 없습니다. (channelKey ${JSON.stringify(request.channelKey)} is not a channel of store ${runtime.storeId})`);
    if (channel.pgProvider !== 'INICIS_UNIFIED') {
      throw reject('ChannelNotFound', `본인인증 채널을 찾을 수 없습니다. (channelKey ${JSON.stringify(request.channelKey)} is the payment channel ${JSON.stringify(channel.name)} (${channel.pgProvider}); identity verification needs a KG이니시스 통합인증 channel (INICIS_UNIFIED))`);
    }
    const existing = runtime.state.identityVerifications.get(id);
    if (existing?.verification.status === 'VERIFIED') {
      throw reject('IdentityVerificationAlreadyVerified', `이미 인증이 완료된 본인인증입니다. (identityVerificationId ${JSON.stringify(id)} was verified at ${existing.verification.verifiedAt}; use a new id)`);
    }
    const outcome = client.outcome ?? runtime.identityOutcomes.shift();
    const txId = uuidv7(runtime.now());
    this.identities.startAttempt(id, {
      txId,
      channel,
      customer: requestedCustomer(request.customer),
      ...(request.customData !== undefined ? { customData: request.customData } : {}),
      origin: device,
    });
    const tx: CheckoutTx = {
      txId,
      kind: 'IDENTITY_VERIFICATION',
      status: 'OPEN',
      createdAt: runtime.now(),
      ...(client.origin ? { clientOrigin: client.origin } : {}),
      request,
      channelKey: channel.key,
      manualApproval: false,
      ...(outcome ? { outcome } : {}),
    };
    runtime.state.pruneCheckouts(runtime.now());
    runtime.state.checkouts.set(txId, tx);
    runtime.persist();
    return { tx, answer: { txId, windowUrl: windowPath(txId), mode: request.mode, identityVerificationId: id } };
  }

  complete(tx: CheckoutTx, given: unknown): CompleteAnswer {
    const { runtime } = this;
    if (tx.status === 'DONE') throw new CheckoutRejection('InvalidEntityState', '이미 완료된 본인인증창입니다. (this window already ended)');
    const read = readIdentityOutcome(given);
    if ('problem' in read) throw new CheckoutRejection('BadRequest', `\`action\`: ${read.problem}`);
    const id = tx.request.identityVerificationId!;
    const entry = runtime.state.identityVerifications.get(id);
    if (!entry || entry.txId !== tx.txId || entry.verification.status !== 'READY') {
      throw new CheckoutRejection('InvalidEntityState', `본인인증 ${id}에 더 최근의 시도가 있습니다. (a newer window replaced this attempt)`);
    }
    const window = tx.request.identity!;
    let action = read.outcome;
    // KG Inicis refused the request inside its window: however the shopper leaves, that error is the result.
    if (tx.request.pgError && action.result !== 'fail') action = { result: 'fail', ...tx.request.pgError };
    const base = { transactionType: 'IDENTITY_VERIFICATION' as const, identityVerificationId: id, identityVerificationTxId: tx.txId };
    let response: IdentityVerificationResponse;
    if (action.result === 'approve') {
      const verdict = identityVerdict(action, window, runtime.now());
      response = 'failed' in verdict ? this.fail(entry, tx, base, verdict.failed) : this.verify(entry, tx, base, verdict);
    } else if (action.result === 'fail') {
      const known = action.pgCode === undefined ? IDENTITY_FAILURES[0]! : IDENTITY_FAILURES.find((f) => f.pgCode === action.pgCode);
      response = this.fail(entry, tx, base, { pgCode: action.pgCode ?? known!.pgCode, pgMessage: action.pgMessage ?? known?.pgMessage ?? '본인인증에 실패했습니다.' });
    } else {
      this.identities.markFailed(entry, { reason: IDENTITY_CANCEL_MESSAGE });
      response = { ...base, code: 'FAILURE_TYPE_PG', message: IDENTITY_CANCEL_MESSAGE };
    }
    tx.status = 'DONE';
    tx.completedAt = runtime.now();
    tx.response = response;
    if (tx.request.mode === 'REDIRECTION' && tx.request.redirectUrl) tx.redirectTo = withResultQuery(tx.request.redirectUrl, response);
    runtime.persist();
    return { response, ...(tx.redirectTo ? { redirectTo: tx.redirectTo } : {}) };
  }

  private pgTxId(tx: CheckoutTx): string {
    return inicisAuthTxId(this.runtime.channel(tx.channelKey)?.pgMerchantId ?? 'INIiasTest', this.runtime.now());
  }

  private verify(entry: IdentityVerificationEntry, tx: CheckoutTx, base: IdentityVerificationResponse, verdict: Extract<Verdict, { verified: unknown }>): IdentityVerificationResponse {
    const pgTxId = this.pgTxId(tx);
    const channel = this.runtime.channel(tx.channelKey);
    this.identities.markVerified(entry, {
      customer: verifiedCustomer(verdict.verified, verdict.agency, tx.request.customer.customerId),
      pgTxId,
      pgRawResponse: inicisRawResponse({
        person: verdict.verified,
        agency: verdict.agency,
        pgTxId,
        identityVerificationId: base.identityVerificationId,
        pgMerchantId: channel?.pgMerchantId ?? '',
        ...(tx.request.identity?.diCode !== undefined ? { diCode: tx.request.identity.diCode } : {}),
      }),
      agency: verdict.agency,
      ...(verdict.carrier ? { carrier: verdict.carrier } : {}),
    });
    return base;
  }

  /** KG Inicis failed the verification (it has a transaction of its own for it). */
  private fail(entry: IdentityVerificationEntry, tx: CheckoutTx, base: IdentityVerificationResponse, decline: Decline): IdentityVerificationResponse {
    this.identities.markFailed(entry, { reason: decline.pgMessage, pgCode: decline.pgCode, pgMessage: decline.pgMessage }, this.pgTxId(tx));
    return { ...base, code: 'FAILURE_TYPE_PG', message: `[${decline.pgCode}] ${decline.pgMessage}`, pgCode: decline.pgCode, pgMessage: decline.pgMessage };
  }
}
