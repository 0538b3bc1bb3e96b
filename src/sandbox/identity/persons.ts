// Who an identity verification can end with: the sandbox's test persons (each of a given age on
// the day of the verification, so an age check never rots as time passes), anyone a test names,
// and their CI and DI — stable per person, as real ones are; the DI also per site.
import { createHash } from 'node:crypto';
import type { IdentityAgency, IdentityCarrier, SandboxPersonInput, SandboxTestPerson, SandboxTestPersonKey, SandboxVerifiedPerson } from './types.js';

/** A CI: 88 characters of base64 (64 bytes), as the real ones; the same for one person everywhere. */
const ciOf = (seed: string): string => createHash('sha512').update(`portone-sandbox CI ${seed}`).digest('base64');

/**
 * A DI: 64 characters of base64 (48 bytes); one person's differs per site — KG Inicis's merchant id
 * and the shop's `DI_CODE` salt — so two shops cannot join their customers by it.
 */
export const diOf = (ci: string, site: string, salt: string): string => createHash('sha384').update(`portone-sandbox DI ${ci} ${site} ${salt}`).digest('base64');

interface PersonSpec extends Omit<SandboxTestPerson, 'ci' | 'age'> {
  /** Their `years`-th birthday is `inDays` days from the day of the verification (0: today; past: negative). */
  birthday: { years: number; inDays: number };
}

const SPECS: readonly PersonSpec[] = [
  { key: 'adult', name: '홍길동', birthday: { years: 34, inDays: -100 }, note: 'an adult; the Node helpers\' default buyer (same name and phone)', gender: 'MALE', isForeigner: false, phoneNumber: '01012345678', carrier: 'SKT', agency: 'PASS' },
  { key: 'minor', name: '이서연', birthday: { years: 17, inDays: -45 }, note: 'a minor of 17', gender: 'FEMALE', isForeigner: false, phoneNumber: '01023456789', carrier: 'KT', agency: 'PASS' },
  { key: 'child', name: '김하준', birthday: { years: 13, inDays: -200 }, note: 'a child of 13 (under 14: guardian consent)', gender: 'MALE', isForeigner: false, phoneNumber: '01034567890', carrier: 'LGU', agency: 'PASS' },
  { key: 'turns19Tomorrow', name: '박지민', birthday: { years: 19, inDays: 1 }, note: '18 today, 19 tomorrow (만 나이)', gender: 'FEMALE', isForeigner: false, phoneNumber: '01045678901', carrier: 'SKT_MVNO', agency: 'PASS' },
  { key: 'turned19Today', name: '최도윤', birthday: { years: 19, inDays: 0 }, note: '19 since today (만 나이)', gender: 'MALE', isForeigner: false, phoneNumber: '01056789012', carrier: 'KT_MVNO', agency: 'PASS' },
  { key: 'foreigner', name: 'JOHN SMITH', birthday: { years: 29, inDays: -10 }, note: 'a foreign resident (isForeigner)', gender: 'MALE', isForeigner: true, phoneNumber: '01067890123', carrier: 'LGU_MVNO', agency: 'PASS' },
  { key: 'noCi', name: '정수빈', birthday: { years: 45, inDays: -300 }, note: 'verifies through 카카오, for which KG Inicis reports no CI', gender: 'FEMALE', isForeigner: false, phoneNumber: '01078901234', carrier: 'SKT', agency: 'KAKAO' },
];

/** The test persons, in the window's order; `adult` is the default. */
export const TEST_PERSONS: readonly SandboxTestPerson[] = SPECS.map(({ birthday, ...person }) => ({
  ...person,
  age: birthday.inDays > 0 ? birthday.years - 1 : birthday.years,
  ci: ciOf(`test person ${person.key}`),
}));

export const TEST_PERSON_KEYS = TEST_PERSONS.map((p) => p.key);

export const isTestPersonKey = (value: unknown): value is SandboxTestPersonKey => typeof value === 'string' && (TEST_PERSON_KEYS as readonly string[]).includes(value);

const KST_MS = 9 * 3_600_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const daysIn = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

/**
 * The birth date whose `years`-th anniversary is `inDays` days from `now`'s date in Korea. A 29
 * February that the birth year lacks moves back (an anniversary already past stays past) or
 * forward (one still to come stays to come), so the age is right on every day.
 */
export function birthDateFor(now: number, birthday: { years: number; inDays: number }): string {
  const today = new Date(now + KST_MS);
  const anniversary = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + birthday.inDays));
  const year = anniversary.getUTCFullYear() - birthday.years;
  let month = anniversary.getUTCMonth();
  let day = anniversary.getUTCDate();
  if (day > daysIn(year, month)) {
    if (birthday.inDays <= 0) day = daysIn(year, month);
    else [month, day] = [month + 1, 1];
  }
  return `${pad(year, 4)}-${pad(month + 1)}-${pad(day)}`;
}

/** A test person as a verification at `now` finds them. */
export function testPersonAt(key: SandboxTestPersonKey, now: number): SandboxVerifiedPerson {
  const spec = SPECS.find((s) => s.key === key)!;
  const person = TEST_PERSONS.find((p) => p.key === key)!;
  return {
    key,
    name: person.name,
    birthDate: birthDateFor(now, spec.birthday),
    gender: person.gender,
    isForeigner: person.isForeigner,
    phoneNumber: person.phoneNumber,
    carrier: person.carrier,
    agency: person.agency,
    ci: person.ci,
  };
}

/** Someone a test names: the CI follows from who they are (name, birth date, gender). */
export function namedPerson(input: SandboxPersonInput): SandboxVerifiedPerson {
  return {
    name: input.name,
    birthDate: input.birthDate,
    gender: input.gender,
    isForeigner: input.isForeigner ?? false,
    phoneNumber: input.phoneNumber.replace(/\D/g, ''),
    carrier: input.carrier ?? 'SKT',
    agency: 'PASS',
    ci: ciOf(`person ${input.name} ${input.birthDate} ${input.gender}`),
  };
}

/** Age in full years (만 나이) on `now`'s date in Korea. */
export function ageOn(birthDate: string, now: number): number {
  const today = new Date(now + KST_MS);
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const before = today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  return today.getUTCFullYear() - year - (before ? 1 : 0);
}

/** KG Inicis 통합인증's 인증 업체, in its window's order (SMS needs a contract the sandbox's store lacks). */
export const IDENTITY_AGENCIES: readonly { code: IdentityAgency; ko: string }[] = [
  { code: 'PASS', ko: 'PASS (통신사)' },
  { code: 'NAVER', ko: '네이버' },
  { code: 'KAKAO', ko: '카카오' },
  { code: 'TOSS', ko: '토스' },
  { code: 'PAYCO', ko: '페이코' },
  { code: 'KFTC', ko: '금융인증서' },
  { code: 'SAMSUNG', ko: '삼성패스' },
  { code: 'SHINHAN', ko: '신한은행' },
  { code: 'KB', ko: 'KB국민은행' },
  { code: 'HANA', ko: '하나은행' },
  { code: 'WOORI', ko: '우리은행' },
  { code: 'NH', ko: 'NH농협은행' },
  { code: 'KAKAOBANK', ko: '카카오뱅크' },
  { code: 'SMS', ko: '휴대폰 인증 (SMS)' },
];

/** PortOne's `IdentityVerificationOperator` values with their Korean names. */
export const IDENTITY_CARRIERS: readonly { code: IdentityCarrier; ko: string }[] = [
  { code: 'SKT', ko: 'SKT' },
  { code: 'KT', ko: 'KT' },
  { code: 'LGU', ko: 'LG U+' },
  { code: 'SKT_MVNO', ko: 'SKT 알뜰폰' },
  { code: 'KT_MVNO', ko: 'KT 알뜰폰' },
  { code: 'LGU_MVNO', ko: 'LG U+ 알뜰폰' },
];
