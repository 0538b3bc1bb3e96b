// Keeps INICIS_CARD_COMPANIES in step with @portone/browser-sdk 0.1.11's `CardCompany` (checked by
// `npm run typecheck`, never executed): every SDK card company is KG Inicis's to call directly, but
// Toss Bank (inicis-v2.mdx: "토스뱅크를 제외한 모든 카드사를 지원합니다"), and no other value slips in.
import type { CardCompany } from '@portone/browser-sdk/v2';
import type { INICIS_CARD_COMPANIES } from '../../src/inicis/index.js';

type Is<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The SDK's values without their `CARD_COMPANY_` alias. */
type SdkCardCompany = Exclude<CardCompany, `CARD_COMPANY_${string}`>;

export type CardCompanies = [Is<Same<(typeof INICIS_CARD_COMPANIES)[number] | 'TOSS_BANK', SdkCardCompany>>];
