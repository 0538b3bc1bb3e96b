// Keeps the KG Inicis rules' copies of @portone/browser-sdk 0.1.11's lists in step with its types
// (checked by `npm run typecheck`, never executed):
// - INICIS_CARD_COMPANIES: every SDK `CardCompany` is KG Inicis's to call directly, but Toss Bank
//   (inicis-v2.mdx: "토스뱅크를 제외한 모든 카드사를 지원합니다"), and no other value slips in;
// - SDK_LOCALES: exactly the SDK's `Locale` values (another one PortOne cannot read).
import type { CardCompany, Locale } from '@portone/browser-sdk/v2';
import type { INICIS_CARD_COMPANIES } from '../../src/inicis/index.js';
import type { SDK_LOCALES } from '../../src/inicis/rules.js';

type Is<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The SDK's values without their `CARD_COMPANY_` alias. */
type SdkCardCompany = Exclude<CardCompany, `CARD_COMPANY_${string}`>;

export type CardCompanies = [Is<Same<(typeof INICIS_CARD_COMPANIES)[number] | 'TOSS_BANK', SdkCardCompany>>];
export type Locales = [Is<Same<(typeof SDK_LOCALES)[number], Locale>>];
