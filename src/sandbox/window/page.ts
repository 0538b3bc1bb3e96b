// Script of the simulated KG Inicis window pages (served as /checkout/window.js), the payment
// window and the 통합인증 (identity) window alike: collects the shopper's choices, ends the window
// through the checkout server, then hands the result to the merchant page (postMessage in an
// iframe) or follows the redirect. A scripted outcome fills the same form and presses the same
// button, visibly, after a short pause.
import {
  CANCEL_MESSAGE,
  RESULT_MESSAGE,
  type CancelMessage,
  type CompleteAnswer,
  type CheckoutErrorBody,
  type ResultMessage,
  type TransactionKind,
  type WindowOutcome,
} from '../checkout/protocol.js';
import type { SandboxIdentityOutcome } from '../identity/types.js';
import type { SandboxOutcome } from '../types.js';

interface PageData {
  kind: TransactionKind;
  txId: string;
  mode: 'IFRAME' | 'REDIRECTION';
  completeUrl: string;
  clientOrigin?: string;
  outcome?: WindowOutcome;
  lang: 'ko' | 'en';
  text: { working: string; failed: string; scripted: string };
}

const data = JSON.parse(document.getElementById('pw-data')!.textContent!) as PageData;
const form = document.getElementById('pw-form') as HTMLFormElement;
const status = document.getElementById('pw-status')!;
const buttons = () => [...document.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input, select')];
let busy = false;

const value = (name: string): string | undefined => {
  const element = form.elements.namedItem(name);
  if (!element) return undefined;
  if (element instanceof RadioNodeList) return element.value || undefined;
  return (element as HTMLInputElement | HTMLSelectElement).value || undefined;
};

const identity = data.kind === 'IDENTITY_VERIFICATION';

function approveAction(): WindowOutcome {
  if (identity) {
    return {
      result: 'approve',
      ...(value('person') ? { person: value('person') as Extract<SandboxIdentityOutcome, { result: 'approve' }>['person'] } : {}),
      ...(value('agency') ? { agency: value('agency') as Extract<SandboxIdentityOutcome, { result: 'approve' }>['agency'] } : {}),
      ...(value('carrier') ? { carrier: value('carrier') as Extract<SandboxIdentityOutcome, { result: 'approve' }>['carrier'] } : {}),
    };
  }
  const easyPay = value('easyPayProvider');
  const installment = value('installmentMonth');
  return {
    result: 'approve',
    ...(value('cardCompany') ? { cardCompany: value('cardCompany')! } : {}),
    ...(value('cardType') ? { cardType: value('cardType') as 'PERSONAL' | 'CORPORATE' } : {}),
    ...(installment !== undefined ? { installmentMonth: Number(installment) } : {}),
    ...(easyPay && easyPay !== 'NONE' ? { easyPayProvider: easyPay } : {}),
    ...(value('bank') ? { bank: value('bank')! } : {}),
    ...(value('carrier') ? { carrier: value('carrier')! } : {}),
    ...(value('phoneNumber') ? { phoneNumber: value('phoneNumber')! } : {}),
    ...(value('giftCertificateType') ? { giftCertificateType: value('giftCertificateType')! } : {}),
    ...(value('cardNumber') ? { cardNumber: value('cardNumber')!.replace(/\D/g, '') } : {}),
  };
}

/** The sandbox panel's simulated failure: a PG decline of a payment, a failed verification of an identity. */
function declineAction(): WindowOutcome {
  const select = document.getElementById('pw-decline') as HTMLSelectElement | null;
  const option = select?.selectedOptions[0];
  const result = identity ? 'fail' : 'decline';
  return option ? { result, pgCode: option.value, pgMessage: option.dataset.message ?? '' } : { result };
}

async function finish(action: WindowOutcome): Promise<void> {
  if (busy) return;
  busy = true;
  for (const el of buttons()) el.disabled = true;
  document.querySelector('[role="dialog"]')?.setAttribute('aria-busy', 'true');
  status.textContent = data.text.working;
  try {
    const response = await fetch(data.completeUrl, { method: 'POST', body: JSON.stringify({ action }) });
    const json = (await response.json()) as CompleteAnswer | CheckoutErrorBody;
    if (!response.ok) throw new Error((json as CheckoutErrorBody).message);
    const answer = json as CompleteAnswer;
    if (answer.redirectTo) {
      location.replace(answer.redirectTo);
      return;
    }
    const message: ResultMessage = { type: RESULT_MESSAGE, txId: data.txId, response: answer.response };
    window.parent.postMessage(message, data.clientOrigin ?? '*');
  } catch (error) {
    busy = false;
    for (const el of buttons()) if (!el.hasAttribute('data-locked')) el.disabled = false;
    document.querySelector('[role="dialog"]')?.removeAttribute('aria-busy');
    status.textContent = `${data.text.failed} ${(error as Error).message}`;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void finish(approveAction());
});
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="cancel"]')) {
  button.addEventListener('click', () => void finish({ result: 'cancel' }));
}
document.getElementById('pw-decline-button')?.addEventListener('click', () => void finish(declineAction()));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') void finish({ result: 'cancel' });
  if (event.key === 'Tab') trapFocus(event);
});
// Escape pressed on the merchant page behind the overlay (the runtime forwards it).
window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as CancelMessage | undefined;
  if (event.source !== window.parent || message?.type !== CANCEL_MESSAGE || message.txId !== data.txId) return;
  if (data.clientOrigin && event.origin !== data.clientOrigin) return;
  void finish({ result: 'cancel' });
});

/** Inside a closed `<details>` (its summary aside): not reachable with Tab, though it has a layout box. */
function inClosedDetails(el: HTMLElement): boolean {
  const details = el.closest('details');
  return details !== null && !details.open && !(el.tagName === 'SUMMARY' && el.parentElement === details);
}

/** Tab and Shift+Tab cycle inside the window, as in a modal dialog: focus never leaves for the page behind. */
function trapFocus(event: KeyboardEvent): void {
  const focusables = [...document.querySelectorAll<HTMLElement>('button, input, select, summary, [href], [tabindex]:not([tabindex="-1"])')]
    .filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && !inClosedDetails(el))
    // One stop per radio group: the checked radio (or the first one) is what Tab reaches.
    .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio') || el.checked || !form.querySelector(`input[type="radio"][name="${el.name}"]:checked`) && form.querySelector(`input[type="radio"][name="${el.name}"]`) === el);
  const first = focusables[0];
  const last = focusables.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !focusables.includes(active as HTMLElement))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !focusables.includes(active as HTMLElement))) {
    event.preventDefault();
    first.focus();
  }
}

// Picking a test person picks their usual 인증 업체 and carrier, as they would (unless fixed).
(form.elements.namedItem('person') as HTMLSelectElement | null)?.addEventListener('change', (event) => {
  const option = (event.target as HTMLSelectElement).selectedOptions[0];
  check('carrier', option?.dataset.carrier);
  check('agency', option?.dataset.agency);
});

function check(name: string, v: string | number | undefined): void {
  const element = form.elements.namedItem(name);
  if (v === undefined || !(element instanceof RadioNodeList)) return;
  for (const node of element) {
    const radio = node as HTMLInputElement;
    if (radio.value === String(v) && !radio.disabled) radio.checked = true;
  }
}

/** Puts a scripted approve's choices into the form, so what is paid (or verified) is what the window shows. */
function fill(outcome: Extract<WindowOutcome, { result: 'approve' }>): void {
  if (identity) {
    const { person, agency, carrier } = outcome as Extract<SandboxIdentityOutcome, { result: 'approve' }>;
    const select = form.elements.namedItem('person') as HTMLSelectElement | null;
    if (select && typeof person === 'string') select.value = person;
    check('agency', agency);
    check('carrier', carrier);
    return;
  }
  const set = (name: string, v: string | number | undefined) => {
    if (v === undefined) return;
    const element = form.elements.namedItem(name);
    if (element instanceof RadioNodeList) {
      for (const node of element) {
        const radio = node as HTMLInputElement;
        if (radio.value === String(v) && !radio.disabled) radio.checked = true;
      }
    } else if (element) (element as HTMLInputElement).value = String(v);
  };
  const payment = outcome as Extract<SandboxOutcome, { result: 'approve' }>;
  set('cardCompany', payment.cardCompany);
  set('cardType', payment.cardType);
  set('installmentMonth', payment.installmentMonth);
  set('easyPayProvider', payment.easyPayProvider);
  set('bank', payment.bank);
  set('carrier', payment.carrier);
  set('phoneNumber', payment.phoneNumber);
  set('giftCertificateType', payment.giftCertificateType);
  set('cardNumber', payment.cardNumber);
}

// The first choice (the selected radio of a group) takes focus, also when the merchant page
// focuses the iframe only after this script ran.
const focusable = ['input[type="radio"]:checked:not([disabled])', 'input:not([disabled])', 'select', 'button.primary:not([disabled])', 'button']
  .map((selector) => document.querySelector<HTMLElement>(`form ${selector}, .actions ${selector}`))
  .find(Boolean);
const focusFirst = () => {
  if (!document.activeElement || document.activeElement === document.body) focusable?.focus();
};
focusFirst();
window.addEventListener('focus', focusFirst);

if (data.outcome) {
  const outcome = data.outcome;
  const banner = document.getElementById('pw-scripted')!;
  banner.hidden = false;
  const pgCode = outcome.result === 'decline' || outcome.result === 'fail' ? outcome.pgCode : undefined;
  banner.textContent = `${data.text.scripted} ${outcome.result}${pgCode ? ` (${pgCode})` : ''}`;
  setTimeout(() => {
    if (outcome.result === 'approve') {
      fill(outcome);
      // Exactly what was scripted goes to the server; the form shows the same choices.
      void finish(outcome);
    } else void finish(outcome);
  }, 250);
}
