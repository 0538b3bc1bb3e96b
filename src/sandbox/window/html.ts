// Server-side rendering of the simulated KG Inicis window: one page per opened transaction,
// Korean (English for EN_US), keyboard operable, showing the Inicis bypass as KG Inicis would
// (logos, SKIN colour, easy pay hidden for noeasypay, preselected card, carduse restriction).
import {
  BANKS,
  CARD_COMPANIES,
  CARRIERS,
  DECLINES,
  EASY_PAY_NAMES,
  EASY_PAY_PROVIDERS,
  GIFT_CERTIFICATE_TYPES,
  MAIN_BANK_CODES,
} from '../catalog.js';
import type { CheckoutTx } from '../checkout/transaction.js';
import { completePath } from '../checkout/protocol.js';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const TEXT = {
  ko: {
    title: { PAYMENT: '결제하기', ISSUE_BILLING_KEY: '카드 등록 (정기결제)', ISSUE_BILLING_KEY_AND_PAY: '휴대폰 정기결제' },
    method: { CARD: '신용·체크카드', TRANSFER: '실시간 계좌이체', VIRTUAL_ACCOUNT: '가상계좌', MOBILE: '휴대폰 소액결제', EASY_PAY: '간편결제', GIFT_CERTIFICATE: '상품권' },
    store: '상점', product: '상품', amount: '결제금액', displayAmount: '정기결제 금액', close: '결제창 닫기',
    pay: '결제하기', register: '등록하기', cancel: '취소', card: '카드사 선택', cardType: '카드 종류', personal: '개인카드', corporate: '법인카드',
    installment: '할부', lumpSum: '일시불', months: (n: number) => `${n}개월`, easyPay: '간편결제', easyPayNone: '사용 안 함 (카드 결제)',
    bank: '은행 선택', otherBanks: '그 밖의 은행·금융기관', depositDeadline: '입금 기한', carrier: '통신사', phone: '휴대폰 번호', giftType: '상품권 종류',
    cardNumber: '카드번호 (테스트용)', sandbox: 'PortOne 샌드박스', decline: '승인 거절 시뮬레이션', declineButton: '거절 처리',
    notes: '적용된 옵션', working: '처리 중입니다…', failed: '처리하지 못했습니다:', scripted: '테스트 스크립트로 자동 진행:', pgError: 'KG이니시스 오류',
    vaInfo: (deadline: string) => `가상계좌가 발급되며, ${deadline}까지 입금하면 결제가 완료됩니다.`, defaultDeadline: '발급 후 7일',
  },
  en: {
    title: { PAYMENT: 'Payment', ISSUE_BILLING_KEY: 'Register a card (recurring)', ISSUE_BILLING_KEY_AND_PAY: 'Recurring phone payment' },
    method: { CARD: 'Credit / debit card', TRANSFER: 'Bank transfer', VIRTUAL_ACCOUNT: 'Virtual account', MOBILE: 'Mobile phone', EASY_PAY: 'Easy pay', GIFT_CERTIFICATE: 'Gift certificate' },
    store: 'Store', product: 'Item', amount: 'Amount', displayAmount: 'Recurring amount', close: 'Close payment window',
    pay: 'Pay', register: 'Register', cancel: 'Cancel', card: 'Card company', cardType: 'Card type', personal: 'Personal', corporate: 'Corporate',
    installment: 'Installments', lumpSum: 'Single payment', months: (n: number) => `${n} months`, easyPay: 'Easy pay', easyPayNone: 'None (pay by card)',
    bank: 'Bank', otherBanks: 'Other banks and institutions', depositDeadline: 'Deposit deadline', carrier: 'Carrier', phone: 'Phone number', giftType: 'Gift certificate',
    cardNumber: 'Card number (test)', sandbox: 'PortOne sandbox', decline: 'Simulate a decline', declineButton: 'Decline',
    notes: 'Applied options', working: 'Processing…', failed: 'Could not finish:', scripted: 'Scripted by the test, continuing automatically:', pgError: 'KG Inicis error',
    vaInfo: (deadline: string) => `A virtual account will be issued; the payment completes when you deposit by ${deadline}.`, defaultDeadline: '7 days after issue',
  },
};

function formatAmount(amount: number, currency: string | undefined, lang: 'ko' | 'en'): string {
  if (currency === 'USD') return `$${(amount / 100).toFixed(2)}`;
  return lang === 'ko' ? `${amount.toLocaleString('ko-KR')}원` : `₩${amount.toLocaleString('en-US')}`;
}

/** KG Inicis shows at most 40 bytes of the order name: 37 bytes and "...". */
function displayOrderName(name: string): string {
  const bytes = new TextEncoder().encode(name);
  if (bytes.length <= 40) return name;
  let cut = 37;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return `${new TextDecoder().decode(bytes.slice(0, cut))}...`;
}

const radio = (name: string, value: string, label: string, { checked = false, disabled = false } = {}) =>
  `<label class="choice${disabled ? ' disabled' : ''}"><input type="radio" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}${disabled ? ' disabled data-locked' : ''}> <span>${escapeHtml(label)}</span></label>`;

/** The window's stylesheet (payment and identity windows alike): KG Inicis's SKIN colour, PC or phone layout. */
export function windowCss({ skin, mode, pc }: { skin: string; mode: 'IFRAME' | 'REDIRECTION'; pc: boolean }): string {
  return `:root { --skin: ${skin}; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; color: #222; background: ${mode === 'IFRAME' ? 'rgba(0,0,0,.5)' : '#f3f3f3'}; min-height: 100vh; display: flex; align-items: center; justify-content: center; }
.window { background: #fff; width: min(100%, ${pc ? '460px' : '100%'}); max-height: 100vh; overflow: auto; border-radius: ${pc ? '10px' : '0'}; box-shadow: 0 10px 40px rgba(0,0,0,.35); ${pc ? '' : 'min-height: 100vh;'} }
header { background: var(--skin); color: #fff; display: flex; align-items: center; gap: 12px; padding: 12px 16px; }
header h1 { font-size: 17px; margin: 0; flex: 1; }
header img { max-height: 24px; background: #fff; border-radius: 3px; padding: 2px; }
header .close { background: transparent; color: #fff; border: 0; font-size: 24px; line-height: 1; cursor: pointer; padding: 4px 8px; border-radius: 4px; }
.summary { margin: 0; padding: 12px 16px; background: #fafafa; border-bottom: 1px solid #eee; display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; }
.summary dt { color: #666; } .summary dd { margin: 0; font-weight: 600; }
.summary .amount { color: var(--skin); font-size: 18px; }
form { padding: 8px 16px; }
fieldset { border: 1px solid #e3e3e3; border-radius: 8px; margin: 10px 0; padding: 8px 12px; }
legend { font-weight: 600; padding: 0 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 4px; }
.choice { display: flex; align-items: center; gap: 4px; padding: 4px; border-radius: 6px; cursor: pointer; }
.choice.disabled { color: #aaa; cursor: not-allowed; }
.field { display: flex; flex-direction: column; gap: 4px; margin: 10px 0; font-weight: 600; }
.field select, .field input { font: inherit; padding: 8px; border: 1px solid #ccc; border-radius: 6px; font-weight: normal; }
.info { color: #555; font-size: 14px; }
.error { margin: 12px 16px; padding: 10px 12px; border-radius: 8px; background: #fdecec; color: #a4161a; }
.actions { display: flex; gap: 8px; padding: 12px 16px 16px; }
.actions button { flex: 1; font: inherit; font-weight: 600; padding: 12px; border-radius: 8px; border: 1px solid #ccc; background: #fff; cursor: pointer; }
.actions .primary { background: var(--skin); border-color: var(--skin); color: #fff; }
button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.sandbox { margin: 0 16px 12px; padding: 8px 12px; border: 1px dashed #bbb; border-radius: 8px; font-size: 13px; color: #444; }
.sandbox summary { cursor: pointer; font-weight: 600; }
.scripted { margin: 8px 16px; padding: 8px 12px; border-radius: 8px; background: #fff7d6; color: #6b5200; font-weight: 600; }
.status { margin: 0 16px 12px; min-height: 1.5em; color: #444; }
`;
}

/** The window page; `nonce` is the answer's CSP nonce, which its one inline `<style>` carries. */
export function renderWindow(tx: CheckoutTx, options: { storeName: string; nonce: string }): string {
  const { request } = tx;
  const lang = request.locale;
  const t = TEXT[lang];
  const kind = tx.kind as Exclude<typeof tx.kind, 'IDENTITY_VERIFICATION'>;
  const config = request.window;
  const pc = request.device === 'pc';
  const amountLabel = request.totalAmount !== undefined ? formatAmount(request.totalAmount, request.currency, lang) : request.displayAmount !== undefined ? formatAmount(request.displayAmount, request.currency ?? 'KRW', lang) : undefined;
  const sections: string[] = [];
  const method = tx.kind === 'ISSUE_BILLING_KEY' ? 'BILLING_CARD' : request.payMethod!;

  const cardFieldset = (locked: boolean) => {
    const companies = locked ? CARD_COMPANIES.filter((c) => c.code === config.preselectedCard) : CARD_COMPANIES;
    const selected = config.preselectedCard ?? '11';
    return `<fieldset><legend>${t.card}</legend><div class="grid">${companies
      .map((c) => radio('cardCompany', c.code, lang === 'ko' ? c.ko : c.en, { checked: c.code === selected }))
      .join('')}</div></fieldset>`;
  };
  const cardTypeFieldset = () => {
    const personalOnly = config.cardUse === 'percard';
    const corporateOnly = config.cardUse === 'cocard';
    return `<fieldset><legend>${t.cardType}</legend>${radio('cardType', 'PERSONAL', t.personal, { checked: !corporateOnly, disabled: corporateOnly })}${radio('cardType', 'CORPORATE', t.corporate, { checked: corporateOnly, disabled: personalOnly })}</fieldset>`;
  };

  if (method === 'CARD') {
    sections.push(cardFieldset(config.cardLocked === true));
    sections.push(cardTypeFieldset());
    const installments = request.currency === 'KRW' && (request.totalAmount ?? 0) >= 50_000;
    if (installments || config.fixedInstallment !== undefined) {
      const months = config.fixedInstallment !== undefined ? [config.fixedInstallment] : [0, 2, 3, 4, 5, 6, 10, 12];
      sections.push(`<label class="field">${t.installment} <select name="installmentMonth">${months.map((m) => `<option value="${m}">${m === 0 ? t.lumpSum : t.months(m)}</option>`).join('')}</select></label>`);
    }
    if (!config.noEasyPay) {
      sections.push(`<fieldset class="easypay"><legend>${t.easyPay}</legend><div class="grid">${radio('easyPayProvider', 'NONE', t.easyPayNone, { checked: true })}${EASY_PAY_PROVIDERS.map((p) => radio('easyPayProvider', p, EASY_PAY_NAMES[p][lang])).join('')}</div></fieldset>`);
    }
  } else if (method === 'EASY_PAY') {
    const providers = config.easyPayProvider ? [config.easyPayProvider] : EASY_PAY_PROVIDERS;
    sections.push(`<fieldset class="easypay"><legend>${t.easyPay}</legend><div class="grid">${providers.map((p, i) => radio('easyPayProvider', p, EASY_PAY_NAMES[p][lang], { checked: i === 0 })).join('')}</div></fieldset>`);
  } else if (method === 'TRANSFER' || method === 'VIRTUAL_ACCOUNT') {
    const fallback = method === 'TRANSFER' ? 'KOOKMIN' : 'SHINHAN';
    const option = (b: (typeof BANKS)[number]) => `<option value="${b.code}"${b.code === fallback ? ' selected' : ''}>${escapeHtml(lang === 'ko' ? b.ko : b.en)}</option>`;
    const main = MAIN_BANK_CODES.map((code) => BANKS.find((b) => b.code === code)!);
    const others = BANKS.filter((b) => !MAIN_BANK_CODES.includes(b.code));
    sections.push(`<label class="field">${t.bank} <select name="bank">${main.map(option).join('')}<optgroup label="${t.otherBanks}">${others.map(option).join('')}</optgroup></select></label>`);
    if (method === 'VIRTUAL_ACCOUNT') {
      const expiry = request.accountExpiry;
      const deadline = !expiry ? t.defaultDeadline : 'validHours' in expiry ? (lang === 'ko' ? `발급 후 ${expiry.validHours}시간` : `${expiry.validHours} hours after issue`) : new Date(expiry.dueDate).toISOString();
      sections.push(`<p class="info">${escapeHtml(t.vaInfo(deadline))}</p>`);
    }
  } else if (method === 'MOBILE') {
    sections.push(`<fieldset><legend>${t.carrier}</legend>${CARRIERS.map((c, i) => radio('carrier', c.code, c[lang], { checked: i === 0 })).join('')}</fieldset>`);
    sections.push(`<label class="field">${t.phone} <input name="phoneNumber" inputmode="tel" autocomplete="tel" value="${escapeHtml(request.customer.phoneNumber ?? '')}"></label>`);
  } else if (method === 'GIFT_CERTIFICATE') {
    const selected = request.giftCertificateType ?? 'CULTURELAND';
    sections.push(`<fieldset><legend>${t.giftType}</legend>${GIFT_CERTIFICATE_TYPES.map((g) => radio('giftCertificateType', g, g, { checked: g === selected })).join('')}</fieldset>`);
  } else {
    sections.push(cardFieldset(false));
    sections.push(cardTypeFieldset());
    sections.push(`<label class="field">${t.cardNumber} <input name="cardNumber" inputmode="numeric" autocomplete="off" value="4242424242424242"></label>`);
  }

  const declineCodes = DECLINES[method === 'BILLING_CARD' ? 'BILLING_KEY' : method] ?? DECLINES.CARD!;
  const store = config.merchantName && !pc ? config.merchantName : options.storeName;
  const pageData = {
    kind: tx.kind,
    txId: tx.txId,
    mode: request.mode,
    completeUrl: completePath(tx.txId),
    ...(tx.clientOrigin ? { clientOrigin: tx.clientOrigin } : {}),
    ...(tx.outcome ? { outcome: tx.outcome } : {}),
    lang,
    text: { working: t.working, failed: t.failed, scripted: t.scripted },
  };
  const methodLabel = tx.kind === 'PAYMENT' ? t.method[request.payMethod!] : tx.kind === 'ISSUE_BILLING_KEY' ? t.method.CARD : t.method.MOBILE;

  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>KG이니시스 ${escapeHtml(t.title[kind])} · ${escapeHtml(t.sandbox)}</title>
<style nonce="${options.nonce}">
${windowCss({ skin: config.skin, mode: request.mode, pc })}</style>
</head>
<body class="mode-${request.mode.toLowerCase()} device-${request.device}">
<main>
<div class="window" role="dialog" aria-modal="true" aria-labelledby="pw-title" data-skin="${config.skin}">
<header>
${config.logoUrl ? `<img class="logo" src="${escapeHtml(config.logoUrl)}" alt="${escapeHtml(store)} logo" data-logo="main">` : ''}
<h1 id="pw-title">KG이니시스 ${escapeHtml(t.title[kind])}</h1>
${config.logo2nd ? `<img class="logo-2nd" src="${escapeHtml(config.logo2nd)}" alt="" data-logo="sub">` : ''}
<button type="button" class="close" data-action="cancel" aria-label="${t.close}">×</button>
</header>
<dl class="summary">
<dt>${t.store}</dt><dd data-field="store">${escapeHtml(store)}</dd>
<dt>${t.product}</dt><dd data-field="orderName">${escapeHtml(displayOrderName(request.orderName ?? request.issueName ?? ''))}</dd>
${amountLabel ? `<dt>${tx.kind === 'ISSUE_BILLING_KEY' ? t.displayAmount : t.amount}</dt><dd class="amount" data-field="amount">${escapeHtml(amountLabel)}</dd>` : ''}
<dt>&nbsp;</dt><dd data-field="method">${escapeHtml(methodLabel)}</dd>
</dl>
<p class="scripted" id="pw-scripted" role="status" hidden></p>
${request.pgError ? `<p class="error" role="alert" data-pg-code="${escapeHtml(request.pgError.pgCode)}">${t.pgError} [${escapeHtml(request.pgError.pgCode)}] ${escapeHtml(request.pgError.pgMessage)}</p>` : ''}
<form id="pw-form" novalidate>
${request.pgError ? '' : sections.join('\n')}
</form>
<div class="actions">
<button type="submit" form="pw-form" class="primary"${request.pgError ? ' disabled data-locked' : ''}>${tx.kind === 'ISSUE_BILLING_KEY' ? t.register : t.pay}</button>
<button type="button" data-action="cancel">${t.cancel}</button>
</div>
<details class="sandbox">
<summary>${t.sandbox}</summary>
<label class="field">${t.decline} <select id="pw-decline">${declineCodes.map((d) => `<option value="${d.pgCode}" data-message="${escapeHtml(d.pgMessage)}">[${d.pgCode}] ${escapeHtml(d.pgMessage)}</option>`).join('')}</select></label>
<button type="button" id="pw-decline-button">${t.declineButton}</button>
${config.notes.length ? `<p>${t.notes}</p><ul>${config.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
</details>
<p class="status" id="pw-status" role="status" aria-live="polite"></p>
</div>
</main>
<script type="application/json" id="pw-data">${JSON.stringify(pageData).replace(/</g, '\\u003c')}</script>
<script src="../window.js"></script>
</body>
</html>`;
}
