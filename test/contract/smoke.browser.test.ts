import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import { property } from 'lit/decorators.js';
import { ROUTES } from '../../src/contract.js';

class SmokeEl extends LitElement {
  @property({ attribute: 'store-id' }) storeId = '';
  override render() { return litHtml`<button part="button">${this.storeId}</button>`; }
}
customElements.define('smoke-el', SmokeEl);

it('renders a decorated lit element and passes axe', async () => {
  const el = await fixture<SmokeEl>(html`<smoke-el store-id="s1"></smoke-el>`);
  expect(el.shadowRoot!.querySelector('button')!.textContent).to.equal('s1');
  expect(ROUTES.preparePayment).to.equal('/payments/prepare');
  await expect(el).to.be.accessible();
});
