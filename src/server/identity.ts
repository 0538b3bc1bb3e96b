// Identity verification (본인인증): prepare an id for the window, then read PortOne's verification and
// check it — verified, on this shop's channel, for the customer it was prepared for, and the shop's
// own rules (a minimum age, the customer's name and phone, one account per person) — before the
// shop's `onIdentityVerified` gets the person. Who the person is never enters the kit's database,
// its log or a response: the hook reads it from PortOne.
import type { IdentityVerification, VerifiedIdentityVerification } from '@portone/server-sdk/identityVerification';
import type { CheckoutCustomer, IdentityVerificationResponse, PreparedIdentityVerification } from '../contract.js';
import type { KitContext } from './context.js';
import { admit, identify, ownerOf } from './customers.js';
import { CheckoutError } from './errors.js';
import { newId } from './ids.js';
import type { HookEvent, IdentityVerificationRecord, NewEvent } from './model.js';
import type { IdentityRejectionCode, VerifiedPerson } from './options.js';
import type { Outbox } from './outbox.js';
import { PortOneRejection, rejected } from './portone.js';
import * as validate from './validate.js';

export async function prepareIdentityVerification(ctx: KitContext, request: Request, body: Record<string, unknown>): Promise<PreparedIdentityVerification> {
  await admit(ctx, request, 'identity-verification');
  const input = validate.prepareIdentityVerificationRequest(body);
  const shopper = await identify(ctx, request, input.customer);
  const options = ctx.options.identityVerification;
  if (options.matchCustomer && shopper.identified && shopper.customer) {
    // Matched against the account, not against what the page typed: otherwise a member could have
    // someone else verify and type that person's name. (Elsewhere what the shopper typed wins.)
    const { fullName, phoneNumber } = shopper.identified;
    if (fullName !== undefined) shopper.customer.fullName = fullName;
    if (phoneNumber !== undefined) shopper.customer.phoneNumber = phoneNumber;
  }
  if (options.matchCustomer && !shopper.customer?.fullName) {
    throw new CheckoutError('INVALID_REQUEST', 'customer.fullName: expected the name the verified person must have (identityVerification.matchCustomer is on), got nothing');
  }
  const named = shopper.customer?.customerId;
  const now = ctx.options.now();
  let record: IdentityVerificationRecord | undefined;
  if (input.previousIdentityVerificationId !== undefined) {
    // The element's previous prepare, still unverified and for the same customer: new details, same id.
    const previous = await ctx.store.getIdentityVerification(input.previousIdentityVerificationId);
    if (previous && previous.status === 'PENDING' && ownerOf(previous) === named) {
      const customer = { ...shopper.customer, customerId: previous.customerId };
      if (await ctx.store.updatePendingIdentityVerification({ identityVerificationId: previous.identityVerificationId, customerId: previous.customerId, customer, now })) {
        record = { ...previous, customer };
      }
    }
  }
  if (!record) {
    // The window is asked with a customer id, and PortOne's answer must carry it back: the kit assigns one when nobody named one.
    const customerId = named ?? newId('cus');
    record = { identityVerificationId: newId('idv'), customerId, customer: { ...shopper.customer, customerId }, status: 'PENDING', createdAt: now, updatedAt: now };
    if (named === undefined) record.customerIdAssigned = true;
    await ctx.store.createIdentityVerification(record);
  }
  const answer: PreparedIdentityVerification = {
    identityVerificationId: record.identityVerificationId,
    storeId: ctx.options.portone.storeId,
    customer: { ...record.customer, customerId: record.customerId },
    customData: { identityVerificationId: record.identityVerificationId },
  };
  if (options.channelKey) answer.channelKey = options.channelKey;
  return answer;
}

/** The complete answer for a verification as it is recorded: its view, or its rejection every time it is asked. */
function answerFor(ctx: KitContext, record: IdentityVerificationRecord): IdentityVerificationResponse {
  if (record.status === 'REJECTED') throw rejection(ctx, record.identityVerificationId, (record.rejection?.code ?? 'NOT_ACCEPTED') as IdentityRejectionCode, record.rejection?.reason ?? 'rejected');
  if (record.status !== 'VERIFIED') throw new Error(`identity verification ${record.identityVerificationId} is not settled`);
  const minimumAge = ctx.options.identityVerification.minimumAge;
  return {
    identityVerification: {
      identityVerificationId: record.identityVerificationId,
      status: 'VERIFIED',
      verifiedAt: record.verifiedAt ?? '',
      ...(minimumAge !== undefined ? { minimumAge } : {}),
    },
  };
}

function rejection(ctx: KitContext, id: string, code: IdentityRejectionCode, reason: string): CheckoutError {
  const shopperMessage = ctx.options.identityVerification.shopperMessages?.[code];
  return new CheckoutError('IDENTITY_REJECTED', `identity verification ${id}: ${reason} (${code})`, shopperMessage ? { shopperMessage } : {});
}

/** Reads PortOne's verification: one PortOne does not know, not finished or failed is a 409 that changes nothing. */
async function readVerified(ctx: KitContext, id: string): Promise<VerifiedIdentityVerification> {
  let verification: IdentityVerification;
  try {
    verification = await ctx.portone.getIdentityVerification(id);
  } catch (error) {
    if (error instanceof PortOneRejection && error.type === 'IDENTITY_VERIFICATION_NOT_FOUND') {
      throw new CheckoutError('IDENTITY_NOT_VERIFIED', `PortOne has no identity verification ${id}: expected the verification window to have been completed first`);
    }
    throw rejected(error);
  }
  if (verification.status === 'VERIFIED') return verification;
  if (verification.status === 'FAILED') {
    const why = verification.failure.pgMessage ?? verification.failure.reason ?? 'no reason given';
    throw new CheckoutError('IDENTITY_NOT_VERIFIED', `identity verification ${id}: expected status "VERIFIED", got "FAILED" (${why}); the shopper may try again`);
  }
  throw new CheckoutError('IDENTITY_NOT_VERIFIED', `identity verification ${id}: expected status "VERIFIED", got ${JSON.stringify(String(verification.status))} (the window was not finished)`);
}

/** Full years of someone born on `birthDate` (yyyy-MM-dd), today in Korea: a year is reached on the birthday (29 February: on 1 March in other years). */
export function ageInKorea(birthDate: string, now: number): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const today = new Date(now + 9 * 3_600_000);
  const [ty, tm, td] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
  return ty - year - (tm < month || (tm === month && td < day) ? 1 : 0);
}

const digits = (text: string | undefined): string | undefined => text?.replace(/\D/g, '') || undefined;
const squeezed = (text: string | undefined): string | undefined => text?.replace(/\s+/g, '').normalize('NFC') || undefined;

/** Whether a verification PortOne reports VERIFIED is what this shop accepts for this record; `undefined` when it is. */
async function refusalOf(ctx: KitContext, record: IdentityVerificationRecord, verification: VerifiedIdentityVerification): Promise<{ code: IdentityRejectionCode; reason: string } | undefined> {
  const options = ctx.options.identityVerification;
  const person = verification.verifiedCustomer;
  const channel = verification.channel;
  if (options.channelKey !== undefined && channel?.key !== options.channelKey) {
    return { code: 'CHANNEL_MISMATCH', reason: `channel expected the configured identity channel, got ${channel?.key === undefined ? 'none' : 'another channel'}` };
  }
  if (channel?.type === 'TEST' && !ctx.options.allowTestChannels) {
    return { code: 'TEST_CHANNEL', reason: 'channel expected a LIVE channel, got a TEST one (allowTestChannels is off)' };
  }
  if (person.id !== record.customerId) {
    return { code: 'CUSTOMER_MISMATCH', reason: 'verifiedCustomer.id expected the customer the verification was prepared for, got another' };
  }
  if (options.minimumAge !== undefined) {
    const age = person.birthDate === undefined ? undefined : ageInKorea(person.birthDate, ctx.options.now());
    if (age === undefined) return { code: 'UNDER_AGE', reason: `age expected at least ${options.minimumAge}, got no birth date from PortOne` };
    if (age < options.minimumAge) return { code: 'UNDER_AGE', reason: `age expected at least ${options.minimumAge}, got a younger person` };
  }
  if (options.matchCustomer) {
    const expectedName = squeezed(record.customer?.fullName);
    if (expectedName !== undefined && squeezed(person.name) !== expectedName) {
      return { code: 'NAME_MISMATCH', reason: "name expected the customer's name, got another" };
    }
    const expectedPhone = digits(record.customer?.phoneNumber);
    const phone = digits(person.phoneNumber);
    if (expectedPhone !== undefined && phone !== undefined && phone !== expectedPhone) {
      return { code: 'PHONE_MISMATCH', reason: "phone number expected the customer's, got another" };
    }
  }
  if (options.linkedCustomer) {
    if (!person.ci) return { code: 'CI_UNAVAILABLE', reason: 'CI expected (linkedCustomer needs it), got none from this identity provider' };
    let linked: string | undefined;
    try {
      linked = await options.linkedCustomer(person.ci);
    } catch (error) {
      ctx.log.error('identityVerification.linkedCustomer threw', { error: error instanceof Error ? error : String(error) });
      throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not tell whom this person belongs to (identityVerification.linkedCustomer failed); see the server log');
    }
    if (linked !== undefined && linked !== ownerOf(record)) {
      return { code: 'ALREADY_LINKED', reason: 'the verified person expected to be this customer or nobody yet, got a person linked to another customer' };
    }
  }
  return undefined;
}

/**
 * Checks PortOne's verification for the prepared id and records the verdict once: VERIFIED (and
 * `onIdentityVerified` runs) or REJECTED. Whichever request records it first decides; the others get
 * the same answer. Until PortOne reports it VERIFIED nothing is recorded, so the shopper can try again.
 */
export async function completeIdentityVerification(ctx: KitContext, outbox: Outbox, body: Record<string, unknown>): Promise<IdentityVerificationResponse> {
  const input = validate.completeIdentityVerificationRequest(body);
  const id = input.identityVerificationId;
  const record = await ctx.store.getIdentityVerification(id);
  if (!record) throw new CheckoutError('IDENTITY_VERIFICATION_NOT_FOUND', `identityVerificationId: expected one prepared by this shop, got ${JSON.stringify(id)} which it does not know`);
  if (record.status !== 'PENDING') return answerFor(ctx, record);

  const verification = await readVerified(ctx, id);
  const refusal = await refusalOf(ctx, record, verification);
  const now = ctx.options.now();
  const events: NewEvent[] = refusal ? [] : [{ key: `identity-verified:${id}`, type: 'identity-verified', payload: { identityVerificationId: id } }];
  const won = await ctx.store.settleIdentityVerification({
    identityVerificationId: id,
    customerId: record.customerId,
    ...(refusal ? { status: 'REJECTED' as const, rejection: refusal } : { status: 'VERIFIED' as const, verifiedAt: verification.verifiedAt }),
    events,
    now,
  });
  if (won) {
    if (refusal) ctx.log.warn(`identity verification ${id} rejected (${refusal.code}): ${refusal.reason}`);
    else await outbox.run(events.map((event) => event.key));
  }
  const settled = await ctx.store.getIdentityVerification(id);
  if (!settled || settled.status === 'PENDING') throw new Error(`identity verification ${id} was not settled`);
  return answerFor(ctx, settled);
}

/** The `identity-verified` event: the shop's hook, with the person read from PortOne now (the kit keeps none of it). */
export async function identityVerified(ctx: KitContext, event: HookEvent): Promise<void> {
  const hook = ctx.options.hooks.onIdentityVerified;
  if (!hook) return;
  const { identityVerificationId } = event.payload as { identityVerificationId: string };
  const record = await ctx.store.getIdentityVerification(identityVerificationId);
  if (!record) throw new Error(`event ${event.key} names an identity verification the store does not have`);
  const verification = await readVerified(ctx, identityVerificationId);
  await hook({
    eventId: event.key,
    attempt: event.attempts,
    identityVerificationId,
    ...(record.customer ? { customer: { ...record.customer, ...(record.customerIdAssigned ? {} : { customerId: record.customerId }) } as CheckoutCustomer } : {}),
    person: personOf(ctx, verification),
    verifiedAt: verification.verifiedAt,
  });
}

const GENDERS = ['MALE', 'FEMALE', 'OTHER'] as const;

function personOf(ctx: KitContext, verification: VerifiedIdentityVerification): VerifiedPerson {
  const { includeCi, includeDi } = ctx.options.identityVerification;
  const c = verification.verifiedCustomer;
  const person: VerifiedPerson = { name: c.name };
  if (c.birthDate !== undefined) person.birthDate = c.birthDate;
  const gender = GENDERS.find((known) => known === c.gender);
  if (gender !== undefined) person.gender = gender;
  if (c.phoneNumber !== undefined) person.phoneNumber = c.phoneNumber;
  if (c.isForeigner !== undefined) person.isForeigner = c.isForeigner;
  if (includeCi && c.ci !== undefined) person.ci = c.ci;
  if (includeDi && c.di !== undefined) person.di = c.di;
  return person;
}
