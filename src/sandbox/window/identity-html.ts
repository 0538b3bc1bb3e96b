// Server-side rendering of the simulated KG Inicis 통합인증 window (본인인증): the 인증 업체 and
// carrier choice, the test person who verifies (or the customer a fixed-user request names), and
// approve, fail or cancel — Korean, keyboard operable, with the payment window's look and script.
import { identityFailure, IDENTITY_FAILURES } from '../identity/rules.js';
import { ageOn, IDENTITY_AGENCIES, IDENTITY_CARRIERS, testPersonAt, TEST_PERSONS } from '../identity/persons.js';
import { completePath } from '../checkout/protocol.js';
import type { CheckoutTx } from '../checkout/transaction.js';
import { escapeHtml, windowCss } from './html.js';

const radio = (name: string, value: string, label: string, { checked = false, locked = false } = {}) =>
  `<label class="choice"><input type="radio" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}${locked ? ' data-locked' : ''}> <span>${escapeHtml(label)}</span></label>`;

/** The identity window page; `nonce` is the answer's CSP nonce, which its one inline `<style>` carries. */
export function renderIdentityWindow(tx: CheckoutTx, options: { storeName: string; nonce: string; now: number }): string {
  const { request } = tx;
  const identity = request.identity!;
  const pc = request.device === 'pc';
  const fixed = identity.fixedUser;
  const persons = TEST_PERSONS.map((p) => testPersonAt(p.key, options.now));
  const fixedMatch = fixed && persons.find((p) => p.name === fixed.name && p.phoneNumber === fixed.phoneNumber && p.birthDate === fixed.birthDate);
  const selected = fixed ? fixedMatch?.key ?? '' : 'adult';
  const defaultPerson = persons.find((p) => p.key === selected);
  const agencies = identity.directAgency ? IDENTITY_AGENCIES.filter((a) => a.code === identity.directAgency) : IDENTITY_AGENCIES.filter((a) => a.code !== 'SMS');
  const agency = identity.directAgency ?? defaultPerson?.agency ?? 'PASS';
  const carrier = defaultPerson?.carrier ?? 'SKT';
  const personOption = (p: (typeof persons)[number]) =>
    `<option value="${p.key}" data-agency="${p.agency}" data-carrier="${p.carrier}"${p.key === selected ? ' selected' : ''}>${escapeHtml(`${p.name} · 만 ${ageOn(p.birthDate, options.now)}세 · ${TEST_PERSONS.find((t) => t.key === p.key)!.note}`)}</option>`;
  const sections = [
    `<fieldset><legend>인증 수단</legend><div class="grid">${agencies.map((a) => radio('agency', a.code, a.ko, { checked: a.code === agency, locked: identity.directAgency !== undefined })).join('')}</div></fieldset>`,
    `<fieldset><legend>통신사 (PASS)</legend><div class="grid">${IDENTITY_CARRIERS.map((c) => radio('carrier', c.code, c.ko, { checked: c.code === carrier })).join('')}</div></fieldset>`,
    `<label class="field">인증할 사람 (테스트) <select name="person">${fixed ? `<option value=""${selected === '' ? ' selected' : ''} data-carrier="SKT">${escapeHtml(`요청한 고객: ${fixed.name}`)}</option>` : ''}${persons.map(personOption).join('')}</select></label>`,
  ];
  const pageData = {
    kind: tx.kind,
    txId: tx.txId,
    mode: request.mode,
    completeUrl: completePath(tx.txId),
    ...(tx.clientOrigin ? { clientOrigin: tx.clientOrigin } : {}),
    ...(tx.outcome ? { outcome: tx.outcome } : {}),
    lang: 'ko',
    text: { working: '처리 중입니다…', failed: '처리하지 못했습니다:', scripted: '테스트 스크립트로 자동 진행:' },
  };
  const defaultFailure = IDENTITY_FAILURES[0]!;
  const failures = [defaultFailure, ...IDENTITY_FAILURES.filter((f) => f !== defaultFailure && f !== identityFailure('I900'))];
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>KG이니시스 통합인증 · PortOne 샌드박스</title>
<style nonce="${options.nonce}">
${windowCss({ skin: request.window.skin, mode: request.mode, pc })}</style>
</head>
<body class="mode-${request.mode.toLowerCase()} device-${request.device}">
<main>
<div class="window" role="dialog" aria-modal="true" aria-labelledby="pw-title" data-kind="identity">
<header>
${identity.logoUrl ? `<img class="logo" src="${escapeHtml(identity.logoUrl)}" alt="${escapeHtml(options.storeName)} logo" data-logo="main">` : ''}
<h1 id="pw-title">KG이니시스 통합인증</h1>
<button type="button" class="close" data-action="cancel" aria-label="본인인증창 닫기">×</button>
</header>
<dl class="summary">
<dt>상점</dt><dd data-field="store">${escapeHtml(options.storeName)}</dd>
<dt>본인인증</dt><dd data-field="identityVerificationId">${escapeHtml(request.identityVerificationId!)}</dd>
${fixed ? `<dt>고객 (고정)</dt><dd data-field="fixedUser">${escapeHtml(`${fixed.name} · ${fixed.birthDate} · ${fixed.phoneNumber}`)}</dd>` : ''}
</dl>
<p class="scripted" id="pw-scripted" role="status" hidden></p>
${request.pgError ? `<p class="error" role="alert" data-pg-code="${escapeHtml(request.pgError.pgCode)}">KG이니시스 오류 [${escapeHtml(request.pgError.pgCode)}] ${escapeHtml(request.pgError.pgMessage)}</p>` : ''}
<form id="pw-form" novalidate>
${request.pgError ? '' : sections.join('\n')}
</form>
<div class="actions">
<button type="submit" form="pw-form" class="primary"${request.pgError ? ' disabled data-locked' : ''}>인증하기</button>
<button type="button" data-action="cancel">취소</button>
</div>
<details class="sandbox">
<summary>PortOne 샌드박스</summary>
<label class="field">인증 실패 시뮬레이션 <select id="pw-decline">${failures.map((d) => `<option value="${d.pgCode}" data-message="${escapeHtml(d.pgMessage)}">[${d.pgCode}] ${escapeHtml(d.pgMessage)}</option>`).join('')}</select></label>
<button type="button" id="pw-decline-button">실패 처리</button>
${request.window.notes.length ? `<p>적용된 옵션</p><ul>${request.window.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
</details>
<p class="status" id="pw-status" role="status" aria-live="polite"></p>
</div>
</main>
<script type="application/json" id="pw-data">${JSON.stringify(pageData).replace(/</g, '\\u003c')}</script>
<script src="../window.js"></script>
</body>
</html>`;
}
