// What PortOne's checkout server and KG Inicis 통합인증 check before an identity window opens, as
// pure functions over `requestIdentityVerification`'s request (the store and channel are the
// checkout's): the id, the window type, `bypass.inicisUnified` (KG Inicis requires
// `flgFixedUser`; `Y` requires the customer's name, phone and birth date); and the codes KG Inicis
// answers a failed verification with. Scripted outcomes of the window are checked here too.
import type { Decline } from '../catalog.js';
import { bad, baseConfig, field, forcesRedirect, inicisRule, requestedWindowType, windowCustomer, type WindowCustomer, type IdentityWindow, type NormalizedCheckout } from '../checkout/rules.js';
import type { WindowMode } from '../checkout/protocol.js';
import * as input from '../input.js';
import { IDENTITY_AGENCIES, IDENTITY_CARRIERS, TEST_PERSON_KEYS, isTestPersonKey } from './persons.js';
import type { IdentityAgency, SandboxIdentityOutcome } from './types.js';

/**
 * KG Inicis 통합인증's own rules, refused with a PG-style code like the payment window's (the
 * sandbox's numbering: KG Inicis does not publish its parameter-check codes).
 */
export const IDENTITY_RULES = {
  FIXED_USER: { pgCode: 'R131', pgMessage: 'flgFixedUser는 필수이며 Y 또는 N이어야 합니다.' },
  FIXED_USER_INFO: { pgCode: 'R132', pgMessage: 'flgFixedUser가 Y이면 이름, 연락처, 출생년도, 출생월, 출생일이 필요합니다.' },
  DIRECT_AGENCY: { pgCode: 'R133', pgMessage: '지원하지 않는 인증 업체 코드입니다.' },
} as const satisfies Record<string, Decline>;

/**
 * How KG Inicis 통합인증 fails a verification inside its window (the sandbox's numbering), the
 * first the default of a scripted `fail`. `I103` and `I104` also follow from the shopper's
 * choices (another carrier in PASS; another person than a fixed user); `I900` is SMS without a contract.
 */
export const IDENTITY_FAILURES: readonly Decline[] = [
  { pgCode: 'I101', pgMessage: '인증 요청 시간이 초과되었습니다. 다시 시도해 주세요.' },
  { pgCode: 'I102', pgMessage: '인증서 비밀번호가 일치하지 않습니다.' },
  { pgCode: 'I103', pgMessage: '통신사 가입 정보와 일치하지 않습니다.' },
  { pgCode: 'I104', pgMessage: '요청한 고객 정보와 인증한 본인 정보가 일치하지 않습니다.' },
  { pgCode: 'I900', pgMessage: '알 수 없는 오류가 발생했습니다.' },
];

export const identityFailure = (pgCode: string): Decline => IDENTITY_FAILURES.find((f) => f.pgCode === pgCode)!;

/** What a shopper closing or cancelling the identity window produces (PortOne's wording for payments, for 본인인증). */
export const IDENTITY_CANCEL_MESSAGE = '사용자가 본인인증을 취소하였습니다.';

/** The window: an overlay on PC (POPUP is shown as one), a full-page redirect on a phone or when asked. */
function windowMode(request: input.Json, device: 'pc' | 'mobile', redirectUrl: string | undefined, notes: string[]): WindowMode {
  const requested = requestedWindowType(request, device);
  if (requested === 'UI') throw bad(`\`windowType.${device}\`: KG이니시스 통합인증 opens IFRAME, POPUP or REDIRECTION windows, got "UI"`);
  if (requested === 'POPUP') notes.push('windowType POPUP: 샌드박스는 팝업 대신 같은 화면 위의 인증창으로 엽니다.');
  const mode: WindowMode = forcesRedirect(request, redirectUrl) || device === 'mobile' || requested === 'REDIRECTION' ? 'REDIRECTION' : 'IFRAME';
  if (mode === 'REDIRECTION' && !redirectUrl) {
    throw bad(`리디렉션 방식 본인인증창${device === 'mobile' ? '(모바일)' : ''}에는 redirectUrl 파라미터가 필수입니다. (\`redirectUrl\`: expected an http(s) URL, got nothing)`);
  }
  return mode;
}

const fullName = (c: WindowCustomer): string | undefined => c.fullName ?? (c.lastName && c.firstName ? `${c.lastName} ${c.firstName}` : undefined);

/** With `flgFixedUser: 'Y'`: the person the window is fixed to, every field KG Inicis needs present and well formed. */
function fixedUser(c: WindowCustomer): NonNullable<IdentityWindow['fixedUser']> {
  const name = fullName(c);
  const missing = [
    name ? undefined : 'customer.fullName',
    c.phoneNumber ? undefined : 'customer.phoneNumber',
    c.birthYear ? undefined : 'customer.birthYear',
    c.birthMonth ? undefined : 'customer.birthMonth',
    c.birthDay ? undefined : 'customer.birthDay',
  ].filter(Boolean);
  if (missing.length > 0) throw inicisRule(IDENTITY_RULES.FIXED_USER_INFO, `${missing.map((m) => `\`${m}\``).join(', ')}: expected values, got nothing`);
  const phoneNumber = c.phoneNumber!.replace(/-/g, '');
  if (!/^\d{9,11}$/.test(phoneNumber)) throw bad(`\`customer.phoneNumber\`: expected a phone number of 9 to 11 digits (- allowed), got ${input.describe(c.phoneNumber)}`);
  const [year, month, day] = [c.birthYear!, c.birthMonth!, c.birthDay!];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw bad(`\`customer.birthYear\`/\`birthMonth\`/\`birthDay\`: expected a date such as 1990, 01, 31, got ${[year, month, day].map((v) => input.describe(v)).join(', ')}`);
  }
  return {
    name: name!,
    phoneNumber,
    birthDate: date.toISOString().slice(0, 10),
    ...(c.gender === 'MALE' || c.gender === 'FEMALE' ? { gender: c.gender } : {}),
  };
}

function inicisUnified(value: unknown, buyer: WindowCustomer, notes: string[]): IdentityWindow {
  const bypass = field(() => input.optObject(value, 'bypass')) ?? {};
  for (const other of ['danal', 'kcpV2']) if (bypass[other] !== undefined) notes.push(`bypass.${other}: KG이니시스 통합인증 채널에서는 무시됩니다.`);
  const inicis = field(() => input.optObject(bypass.inicisUnified, 'bypass.inicisUnified'));
  const flg = inicis?.flgFixedUser;
  if (flg !== 'Y' && flg !== 'N') throw inicisRule(IDENTITY_RULES.FIXED_USER, `\`bypass.inicisUnified.flgFixedUser\`: expected "Y" or "N", got ${input.describe(flg)}`);
  const agencies = IDENTITY_AGENCIES.map((a) => a.code);
  const directAgency = inicis!.directAgency;
  if (directAgency !== undefined && directAgency !== null && !(agencies as readonly unknown[]).includes(directAgency)) {
    throw inicisRule(IDENTITY_RULES.DIRECT_AGENCY, `\`bypass.inicisUnified.directAgency\`: expected one of ${agencies.join(', ')}, got ${input.describe(directAgency)}`);
  }
  const logoUrl = field(() => input.optString(inicis!.logoUrl, 'bypass.inicisUnified.logoUrl'));
  if (logoUrl !== undefined && !logoUrl.startsWith('https://')) notes.push('logoUrl: 인증창은 HTTPS이므로 HTTP 로고는 표시되지 않을 수 있습니다.');
  const diCode = field(() => input.optString(inicis!.DI_CODE, 'bypass.inicisUnified.DI_CODE'));
  // A string in the SDK (not an enum like flgFixedUser): only `N` changes anything, the rest is the default `Y`.
  const frgndText = field(() => input.optString(inicis!.FRGNDInfo, 'bypass.inicisUnified.FRGNDInfo'));
  const frgnd = frgndText === 'N' ? 'N' : 'Y';
  if (frgnd === 'N') notes.push('FRGNDInfo N: 네이버·카카오 인증에서 성별·외국인 입력란을 표시하지 않습니다.');
  else if (frgndText !== undefined && frgndText !== 'Y') notes.push(`FRGNDInfo ${frgndText}: Y도 N도 아니어서 기본값 Y로 봅니다.`);
  return {
    flgFixedUser: flg,
    ...(directAgency ? { directAgency: directAgency as IdentityAgency } : {}),
    ...(logoUrl !== undefined ? { logoUrl } : {}),
    ...(diCode !== undefined ? { diCode } : {}),
    frgndInfo: frgnd,
    ...(flg === 'Y' ? { fixedUser: fixedUser(buyer) } : {}),
  };
}

/** `requestIdentityVerification` as PortOne's checkout server and KG Inicis 통합인증 see it. */
export function normalizeIdentityVerification(raw: unknown, device: 'pc' | 'mobile'): NormalizedCheckout {
  if (raw === undefined || raw === null) throw bad('본인인증 요청 파라메터가 누락되었습니다.');
  const request = field(() => input.object(raw, 'request'));
  const config = baseConfig();
  const storeId = request.storeId === undefined || request.storeId === null || request.storeId === '' ? undefined : field(() => input.string(request.storeId, 'storeId'));
  if (!storeId) throw bad('storeId 파라미터는 필수 입력입니다. (`storeId`: expected a string, got nothing)');
  const id = request.identityVerificationId;
  if (id === undefined || id === null || id === '') throw bad('identityVerificationId 파라미터는 필수 입력입니다. (`identityVerificationId`: expected a string, got nothing)');
  // Any string: unlike paymentId and issueId (inicis-v2.mdx: "`paymentId` 에는 ASCII 문자만 허용됩니다"),
  // neither the 통합인증 guide nor the SDK restricts it, and KG Inicis gets PortOne's own transaction id.
  const identityVerificationId = field(() => input.string(id, 'identityVerificationId'));
  const channelKey = field(() => input.optString(request.channelKey, 'channelKey'));
  if (!channelKey) throw bad('channelKey 파라미터는 필수 입력입니다. (`channelKey`: expected an identity verification channel key, got nothing)');
  const redirectUrl = request.redirectUrl === undefined || request.redirectUrl === null ? undefined : field(() => input.httpUrl(request.redirectUrl, 'redirectUrl'));
  const mode = windowMode(request, device, redirectUrl, config.notes);
  const customData = field(() => input.optString(request.customData, 'customData'));
  const buyer = windowCustomer(request.customer);
  const identity = inicisUnified(request.bypass, buyer, config.notes);
  if (identity.logoUrl) config.logoUrl = identity.logoUrl;
  const pgError = identity.directAgency === 'SMS' ? identityFailure('I900') : undefined;
  if (pgError) config.notes.push('directAgency SMS: KG이니시스와 별도 계약이 필요합니다 (샌드박스 상점에는 없습니다).');
  return {
    kind: 'IDENTITY_VERIFICATION',
    device,
    mode,
    storeId,
    channelKey,
    ...(redirectUrl ? { redirectUrl } : {}),
    ...(customData !== undefined ? { customData } : {}),
    customer: buyer,
    locale: 'ko',
    window: config,
    identityVerificationId,
    identity,
    ...(pgError ? { pgError } : {}),
  };
}

const PERSON_FIELDS = ['name', 'birthDate', 'gender', 'phoneNumber', 'isForeigner', 'carrier'];

function personProblem(person: unknown): string | undefined {
  if (person === undefined || isTestPersonKey(person)) return undefined;
  if (typeof person === 'string') return `\`person\`: expected a test person (${TEST_PERSON_KEYS.join(', ')}) or { name, birthDate, gender, phoneNumber }, got ${input.describe(person)}`;
  if (!input.isObject(person)) return `\`person\`: expected a test person's key or an object, got ${input.describe(person)}`;
  const unknown = Object.keys(person).filter((k) => !PERSON_FIELDS.includes(k));
  if (unknown.length > 0) return `\`person\` has only ${PERSON_FIELDS.join(', ')}, got ${unknown.map((k) => JSON.stringify(k)).join(', ')}`;
  const { name, birthDate, gender, phoneNumber, isForeigner, carrier } = person;
  if (typeof name !== 'string' || name.trim() === '') return `\`person.name\`: expected a name, got ${input.describe(name)}`;
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || Number.isNaN(Date.parse(`${birthDate}T00:00:00Z`)) || new Date(`${birthDate}T00:00:00Z`).toISOString().slice(0, 10) !== birthDate) {
    return `\`person.birthDate\`: expected a date as yyyy-MM-dd, got ${input.describe(birthDate)}`;
  }
  if (gender !== 'MALE' && gender !== 'FEMALE') return `\`person.gender\`: expected MALE or FEMALE, got ${input.describe(gender)}`;
  if (typeof phoneNumber !== 'string' || !/^\d{9,11}$/.test(phoneNumber.replace(/-/g, ''))) return `\`person.phoneNumber\`: expected 9 to 11 digits (- allowed), got ${input.describe(phoneNumber)}`;
  if (isForeigner !== undefined && typeof isForeigner !== 'boolean') return `\`person.isForeigner\`: expected true or false, got ${input.describe(isForeigner)}`;
  if (carrier !== undefined && !IDENTITY_CARRIERS.some((c) => c.code === carrier)) return `\`person.carrier\`: expected one of ${IDENTITY_CARRIERS.map((c) => c.code).join(', ')}, got ${input.describe(carrier)}`;
  return undefined;
}

const APPROVE_FIELDS = ['person', 'agency', 'carrier'];

/**
 * A scripted identity outcome (a Node helper, `nextIdentityOutcome`, a page's script, the window's
 * buttons) checked field by field and copied, or what is wrong with it: checked before the window
 * opens, so a typo fails the call instead of leaving a READY verification behind.
 */
export function readIdentityOutcome(value: unknown): { outcome: SandboxIdentityOutcome } | { problem: string } {
  const expected = "{ result: 'approve' | 'fail' | 'cancel' }";
  if (!input.isObject(value)) return { problem: `expected ${expected}, got ${input.describe(value)}` };
  const { result } = value;
  if (result !== 'approve' && result !== 'fail' && result !== 'cancel') return { problem: `expected ${expected}, got result ${input.describe(result)}` };
  const fields = result === 'approve' ? APPROVE_FIELDS : result === 'fail' ? ['pgCode', 'pgMessage'] : [];
  const unknown = Object.keys(value).filter((key) => key !== 'result' && !fields.includes(key));
  if (unknown.length > 0) return { problem: `a ${result} outcome has ${fields.length ? `only ${fields.join(', ')}` : 'no other fields'}, got ${unknown.map((k) => JSON.stringify(k)).join(', ')}` };
  if (result === 'approve') {
    const problem = personProblem(value.person);
    if (problem) return { problem };
    if (value.agency !== undefined && !IDENTITY_AGENCIES.some((a) => a.code === value.agency)) return { problem: `\`agency\`: expected one of ${IDENTITY_AGENCIES.map((a) => a.code).join(', ')}, got ${input.describe(value.agency)}` };
    if (value.carrier !== undefined && !IDENTITY_CARRIERS.some((c) => c.code === value.carrier)) return { problem: `\`carrier\`: expected one of ${IDENTITY_CARRIERS.map((c) => c.code).join(', ')}, got ${input.describe(value.carrier)}` };
  }
  if (result === 'fail') {
    if (value.pgCode !== undefined && (typeof value.pgCode !== 'string' || value.pgCode === '')) return { problem: `\`pgCode\`: expected a non-empty string, got ${input.describe(value.pgCode)}` };
    if (value.pgMessage !== undefined && typeof value.pgMessage !== 'string') return { problem: `\`pgMessage\`: expected a string, got ${input.describe(value.pgMessage)}` };
  }
  const outcome: Record<string, unknown> = { result };
  for (const key of fields) {
    const given = value[key];
    if (given === undefined) continue;
    // A named person is copied field by field too (nothing unchecked is stored).
    outcome[key] = key === 'person' && input.isObject(given) ? Object.fromEntries(PERSON_FIELDS.filter((f) => given[f] !== undefined).map((f) => [f, given[f]])) : given;
  }
  return { outcome: outcome as SandboxIdentityOutcome };
}
