// The name / phone / e-mail form the subscription pages share: prefilled from the member's
// profile, and mirrored into a checkout element's customer-* attributes.
import { config } from './site.js';

export function bindMemberForm(form: HTMLFormElement, element: HTMLElement): () => boolean {
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  field('name').value = config.member.name;
  field('phone').value = config.member.phone;
  field('email').value = config.member.email;
  const sync = () => {
    element.setAttribute('customer-name', field('name').value.trim());
    element.setAttribute('customer-phone', field('phone').value.trim());
    element.setAttribute('customer-email', field('email').value.trim());
  };
  form.addEventListener('change', sync);
  form.addEventListener('submit', (event) => event.preventDefault());
  sync();
  // The element's cancelable portone-request: no window until the form is valid.
  element.addEventListener('portone-request', (event) => {
    if (!form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
    }
  });
  return () => form.checkValidity();
}
