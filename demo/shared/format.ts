// Money and time as a Korean shop shows them: ₩ with ko-KR grouping, dates in Korea's time zone.
import type { Lang } from './i18n.js';

const WON = new Intl.NumberFormat('ko-KR', { style: 'currency', currency: 'KRW' });

/** 16000 → "₩16,000". */
export const formatWon = (amount: number): string => WON.format(amount);

const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = {
  ko: new Intl.DateTimeFormat('ko-KR', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' }),
};
const DATE: Record<Lang, Intl.DateTimeFormat> = {
  ko: new Intl.DateTimeFormat('ko-KR', { dateStyle: 'long', timeZone: 'Asia/Seoul' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Asia/Seoul' }),
};

/** An RFC 3339 string or ms since the epoch, as date and time in Seoul. */
export function formatDateTime(lang: Lang, at: string | number | undefined): string {
  if (at === undefined || at === '') return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : DATE_TIME[lang].format(date);
}

export function formatDate(lang: Lang, at: string | number | undefined): string {
  if (at === undefined || at === '') return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : DATE[lang].format(date);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For text placed in HTML (names, messages): never markup. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
