// The sandbox dashboard (/sandbox): payments with deposit buttons for issued virtual accounts,
// identity verifications, schedules and the clock (run due work, advance), the webhook log, and
// the scripted-outcome queues. It is a static page driving the JSON control routes under /sandbox/ with the control
// token, which it takes from its link's fragment (`#token=…`) or asks for.
import { escapeHtml } from './window/html.js';
import type { KnownPayment } from './payments.js';
import type { IdentityVerificationEntry } from './core/state.js';

/** The dashboard page; `nonce` is the answer's CSP nonce, carried by its inline style and script. */
export function renderDashboard(info: { storeId: string; url: string; nonce: string }): string {
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PortOne 샌드박스 대시보드</title>
<style nonce="${info.nonce}">
body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: #222; background: #f6f7f9; }
header { background: #1b1f24; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
header h1 { margin: 0; font-size: 18px; }
main { padding: 16px 20px; display: grid; gap: 16px; }
section { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: 12px 16px; overflow-x: auto; }
h2 { font-size: 15px; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
code { font-size: 12px; }
button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #bbb; background: #fff; cursor: pointer; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.ok { color: #137333; } .bad { color: #a50e0e; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.minutes { width: 6em; }
</style>
</head>
<body>
<header><h1>PortOne 샌드박스</h1><span>store <code>${escapeHtml(info.storeId)}</code></span><span>API <code>${escapeHtml(info.url)}</code></span><span>시각 <code id="clock">…</code></span></header>
<main>
<form id="token-form" class="row" hidden>
<label>제어 토큰 (control token) <input id="token" autocomplete="off" spellcheck="false" size="48"></label>
<button type="submit">연결</button>
<span>샌드박스를 시작할 때 출력된 토큰입니다 (Sandbox.controlToken).</span>
</form>
<section aria-labelledby="h-clock"><h2 id="h-clock">시계와 예약</h2>
<div class="row">
<button type="button" id="run-due">예정된 작업 지금 실행</button>
<label>앞당길 시간(분) <input id="advance-min" class="minutes" type="number" min="0" value="60"></label>
<button type="button" id="advance">시계 앞당기기</button>
</div>
<p id="timers"></p>
<table><thead><tr><th>예약 ID</th><th>paymentId</th><th>상태</th><th>결제 예정</th><th>금액</th></tr></thead><tbody id="schedules"></tbody></table>
</section>
<section aria-labelledby="h-payments"><h2 id="h-payments">결제</h2>
<table><thead><tr><th>paymentId</th><th>상태</th><th>수단</th><th>금액</th><th>주문명</th><th>작업</th></tr></thead><tbody id="payments"></tbody></table>
</section>
<section aria-labelledby="h-identity"><h2 id="h-identity">본인인증</h2>
<table><thead><tr><th>identityVerificationId</th><th>상태</th><th>인증 수단</th><th>이름</th><th>생년월일</th><th>CI</th><th>시각</th></tr></thead><tbody id="identity"></tbody></table>
</section>
<section aria-labelledby="h-outcomes"><h2 id="h-outcomes">다음 결제창 결과</h2>
<div class="row">
<select id="outcome" aria-label="다음 결제창 결과"><option value="approve">승인</option><option value="decline">거절</option><option value="cancel">취소</option></select>
<button type="button" id="queue">대기열에 추가</button> <span id="queued"></span>
</div>
<div class="row">
<select id="identity-outcome" aria-label="다음 본인인증창 결과"><option value="approve">인증</option><option value="fail">실패</option><option value="cancel">취소</option></select>
<button type="button" id="queue-identity">본인인증 대기열에 추가</button> <span id="queued-identity"></span>
</div>
</section>
<section aria-labelledby="h-webhooks"><h2 id="h-webhooks">웹훅 전송 기록</h2>
<table><thead><tr><th>시각</th><th>type</th><th>URL</th><th>시도</th><th>결과</th></tr></thead><tbody id="webhooks"></tbody></table>
</section>
<p role="status" aria-live="polite" id="status"></p>
</main>
<script nonce="${info.nonce}">
const $ = (id) => document.getElementById(id);
// The token arrives in the link's fragment, which no request carries; it is kept for this tab only
// and taken out of the address bar.
const KEY = 'portone-sandbox-token';
const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromLink) {
  sessionStorage.setItem(KEY, fromLink);
  history.replaceState(null, '', location.pathname + location.search);
}
const headers = () => ({ 'x-portone-sandbox-token': sessionStorage.getItem(KEY) ?? '' });
function askForToken(message) {
  $('token-form').hidden = false;
  $('status').textContent = message;
}
$('token-form').onsubmit = (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('token').value.trim());
  $('token-form').hidden = true;
  void refresh();
};
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: headers(), body: JSON.stringify(body ?? {}) });
  const json = await res.json();
  if (res.status === 401) return askForToken(json.message);
  $('status').textContent = res.ok ? '완료' : (json.message ?? '실패');
  await refresh();
}
async function refresh() {
  const res = await fetch('state', { headers: headers() });
  if (res.status === 401) return askForToken((await res.json()).message);
  const state = await res.json();
  $('clock').textContent = state.now;
  $('timers').textContent = state.timers.length ? '대기 중인 작업: ' + state.timers.map((t) => t.at + ' ' + t.label).join(' · ') : '대기 중인 작업 없음';
  $('queued').textContent = state.windowOutcomes.length ? '대기열: ' + state.windowOutcomes.map((o) => o.result).join(', ') : '';
  $('queued-identity').textContent = state.identityOutcomes.length ? '대기열: ' + state.identityOutcomes.map((o) => o.result).join(', ') : '';
  $('identity').innerHTML = state.identityVerifications.map((v) => '<tr><td><code>' + esc(v.id) + '</code></td><td>' + esc(v.status) + '</td><td>' + esc(v.agency) + '</td><td>' + esc(v.name) + '</td><td>' + esc(v.birthDate) + '</td><td>' + esc(v.ci) + '</td><td>' + esc(v.at) + '</td></tr>').join('');
  $('payments').innerHTML = state.payments.map((p) => '<tr><td><code>' + esc(p.id) + '</code></td><td>' + esc(p.status) + '</td><td>' + esc(p.method) + '</td><td>' + esc(p.amount) + '</td><td>' + esc(p.orderName) + '</td><td>' +
    (p.status === 'VIRTUAL_ACCOUNT_ISSUED' ? '<button type="button" data-deposit="' + esc(p.id) + '">입금 (' + esc(p.account) + ')</button>' : '') + '</td></tr>').join('');
  $('schedules').innerHTML = state.schedules.map((s) => '<tr><td><code>' + esc(s.id) + '</code></td><td>' + esc(s.paymentId) + '</td><td>' + esc(s.status) + '</td><td>' + esc(s.timeToPay) + '</td><td>' + esc(s.totalAmount) + '</td></tr>').join('');
  $('webhooks').innerHTML = state.deliveries.slice(-100).reverse().map((d) => '<tr><td>' + esc(d.at) + '</td><td>' + esc(d.type) + '</td><td>' + esc(d.url) + '</td><td>' + esc(d.attempt) + '</td><td class="' + (d.ok ? 'ok' : 'bad') + '">' +
    esc(d.dropped ? 'dropped' : d.status ?? d.error) + (d.duplicate ? ' (dup)' : '') + '</td></tr>').join('');
  for (const b of document.querySelectorAll('[data-deposit]')) b.onclick = () => post('deposit', { paymentId: b.dataset.deposit });
}
$('run-due').onclick = () => post('advance', { ms: 0 });
$('advance').onclick = () => post('advance', { ms: Number($('advance-min').value) * 60000 });
$('queue').onclick = () => post('outcomes', { result: $('outcome').value });
$('queue-identity').onclick = () => post('identity-outcomes', { result: $('identity-outcome').value });
refresh();
setInterval(refresh, 3000);
</script>
</body>
</html>`;
}

/** A compact view of the state for the dashboard. */
export function dashboardPayment(p: KnownPayment) {
  const method = String(p.method?.type ?? '').replace(/^PaymentMethod/, '');
  return {
    id: p.id,
    status: p.status,
    method,
    amount: `${p.amount.total} ${p.currency}`,
    orderName: p.orderName,
    ...(p.method?.type === 'PaymentMethodVirtualAccount' ? { account: `${p.method.bank ?? ''} ${p.method.accountNumber}` } : {}),
  };
}

/** A compact view of an identity verification for the dashboard (the CI shortened: it is personal data, even made up). */
export function dashboardIdentityVerification(entry: IdentityVerificationEntry) {
  const v = entry.verification;
  const verified = v.status === 'VERIFIED' ? v.verifiedCustomer : undefined;
  return {
    id: v.id,
    status: v.status,
    agency: entry.agency ?? '',
    name: verified?.name ?? (v.status !== 'VERIFIED' ? v.requestedCustomer.name ?? '' : ''),
    birthDate: verified?.birthDate ?? '',
    ci: verified?.ci ? `${verified.ci.slice(0, 8)}…` : v.status === 'VERIFIED' ? '(없음)' : '',
    at: v.statusChangedAt,
  };
}

/** A payment's receipt page; `nonce` is the answer's CSP nonce, carried by its inline style. */
export function renderReceipt(p: KnownPayment, nonce: string): string {
  const rows: [string, string][] = [
    ['결제 ID', p.id],
    ['거래 ID', p.transactionId],
    ['상태', p.status],
    ['주문명', p.orderName],
    ['금액', `${p.amount.total.toLocaleString('ko-KR')} ${p.currency}`],
    ['취소 금액', `${p.amount.cancelled.toLocaleString('ko-KR')} ${p.currency}`],
    ['PG 거래번호', 'pgTxId' in p && p.pgTxId ? p.pgTxId : '-'],
    ['승인 시각', 'paidAt' in p && p.paidAt ? p.paidAt : '-'],
  ];
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>매출전표 (샌드박스)</title>
<style nonce="${nonce}">body{font:14px/1.6 system-ui,sans-serif;max-width:420px;margin:24px auto;padding:0 16px}th{text-align:left;color:#555;padding-right:12px}</style></head>
<body><h1>KG이니시스 매출전표 <small>(PortOne 샌드박스)</small></h1><table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table></body></html>`;
}
