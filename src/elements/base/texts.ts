// What the checkout elements say to the shopper, in Korean and English: the busy steps and the
// outcomes every button shares. Each button adds its own label, success and failure words, and
// may say a shared one its own way (identity verification is no payment).
import type { Lang } from '../../inicis/violation.js';

/** The labels one kind of button shows; the shared texts unless it gives its own. */
export interface ButtonTexts extends Partial<SharedTexts> {
  /** Default button label (the default slot replaces it). */
  label: string;
  /** Status after success. */
  done: string;
  /** Prefix of failure messages. */
  fail: string;
}

/** The shared texts, by language. */
export const TEXTS = {
  ko: {
    loading: '준비 중…',
    'window-open': '결제창 진행 중…',
    verifying: '결제 확인 중…',
    cancel: '취소했습니다.',
    va: '가상계좌가 발급되었습니다.',
    load: '결제 모듈을 불러오지 못했습니다.',
    network: '서버에 연결하지 못했습니다.',
    unverified: '결제 확인 실패',
    kit: '주문을 처리하지 못했습니다.',
  },
  en: {
    loading: 'Preparing…',
    'window-open': 'Payment window open…',
    verifying: 'Verifying…',
    cancel: 'Cancelled.',
    va: 'Virtual account issued.',
    load: 'Could not load the payment module.',
    network: 'Could not reach the server.',
    unverified: 'Could not confirm the payment',
    kit: 'The order could not be processed.',
  },
};

/** The shared texts of one language. */
export type SharedTexts = (typeof TEXTS)['ko'];

/** Everything one button says in one language. */
export type Texts = SharedTexts & ButtonTexts;

/** The button's texts in `lang`: its own over the shared ones. */
export const textsIn = (lang: Lang, own: Record<Lang, ButtonTexts>): Texts => ({ ...TEXTS[lang], ...own[lang] });

/** The element's language: `lang` on it, an ancestor or `<html>`; English for `en…`, else Korean. */
export function langOf(el: Element): Lang {
  const lang = el.closest<HTMLElement>('[lang]')?.lang || document.documentElement.lang;
  return /^en/i.test(lang) ? 'en' : 'ko';
}
