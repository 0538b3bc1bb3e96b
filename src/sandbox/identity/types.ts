// Public shapes of the sandbox's identity verification (본인인증): the scripted outcomes of its
// window and the test persons a verification can end with. The browser SDK's request and result
// for `requestIdentityVerification` are src/client/portone-types.ts's (the SDK's shape, declared
// once for the package; test/client/portone-types.typecheck.ts keeps it in step with the SDK's),
// re-exported here under the names the sandbox has always offered.
import type { FailedIdentityVerification, ReadyIdentityVerification, VerifiedIdentityVerification } from '@portone/server-sdk/identityVerification';
import type { IdentityVerificationRequest, InicisUnifiedDirectAgency } from '../../client/portone-types.js';

export type { IdentityVerificationRequest, IdentityVerificationResponse } from '../../client/portone-types.js';

/** The `IdentityVerification` variants the sandbox produces (the SDK union also has an "unrecognized" arm). */
export type KnownIdentityVerification = ReadyIdentityVerification | VerifiedIdentityVerification | FailedIdentityVerification;

/** KG Inicis 통합인증's 인증 업체 (`bypass.inicisUnified.directAgency`, and the window's choice): the SDK's `InicisUnifiedDirectAgency`. */
export type IdentityAgency = InicisUnifiedDirectAgency;

/** A mobile carrier, as PortOne's REST API names them (`IdentityVerificationOperator`, `Carrier`). */
export type IdentityCarrier = 'SKT' | 'KT' | 'LGU' | 'SKT_MVNO' | 'KT_MVNO' | 'LGU_MVNO';

/** `requestIdentityVerification`'s request with sandbox defaults: store, identity channel, a fresh id, `flgFixedUser: 'N'`. */
export type SandboxIdentityVerificationRequest = Partial<IdentityVerificationRequest>;

/** The test persons' keys (see `TEST_PERSONS`). */
export type SandboxTestPersonKey = 'adult' | 'minor' | 'child' | 'turns19Tomorrow' | 'turned19Today' | 'foreigner' | 'noCi';

/** Someone who is not a test person, for a scripted outcome: their CI is derived from these fields. */
export interface SandboxPersonInput {
  name: string;
  /** `yyyy-MM-dd`. */
  birthDate: string;
  gender: 'MALE' | 'FEMALE';
  /** Digits, `-` allowed. */
  phoneNumber: string;
  isForeigner?: boolean;
  /** Their carrier, which a PASS verification must name. Default SKT. */
  carrier?: IdentityCarrier;
}

/** How the next identity window ends when a test scripts it instead of clicking. */
export type SandboxIdentityOutcome =
  | {
      result: 'approve';
      /** Who verifies: a test person (default `adult`, or with `flgFixedUser: 'Y'` the requested customer) or anyone. */
      person?: SandboxTestPersonKey | SandboxPersonInput;
      /** The 인증 업체 chosen; default `directAgency`, else the person's (PASS; 카카오 for `noCi`). */
      agency?: IdentityAgency;
      /** The carrier chosen in PASS; default the person's. Another one fails (`I103`). */
      carrier?: IdentityCarrier;
    }
  | { result: 'fail'; pgCode?: string; pgMessage?: string }
  | { result: 'cancel' };

/** A test person as the sandbox defines them (their birth date follows from `age` on the sandbox clock). */
export interface SandboxTestPerson {
  key: SandboxTestPersonKey;
  name: string;
  /** 만 나이 on the day of a verification. */
  age: number;
  /** What is special about them. */
  note: string;
  gender: 'MALE' | 'FEMALE';
  isForeigner: boolean;
  /** Digits only, as PortOne reports phone numbers in identity verifications. */
  phoneNumber: string;
  carrier: IdentityCarrier;
  /** The 인증 업체 they use unless told otherwise. */
  agency: IdentityAgency;
  /** Their CI (88 characters of base64), the same in every sandbox and store; KG Inicis reports none through 카카오. */
  ci: string;
}

/** A person as a verification on a given day finds them (birth date on the sandbox clock, in Korea). */
export interface SandboxVerifiedPerson extends Pick<SandboxTestPerson, 'name' | 'gender' | 'isForeigner' | 'phoneNumber' | 'carrier' | 'agency' | 'ci'> {
  /** `yyyy-MM-dd`. */
  birthDate: string;
  /** The test person, when it is one. */
  key?: SandboxTestPersonKey;
}
