import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInicisBillingKeyBypass, buildInicisBypass, buildInicisUnifiedBypass } from '../../src/inicis/index.js';

test('every option lands on its PC or mobile key', () => {
  assert.deepEqual(
    buildInicisBypass({
      logoUrl: 'https://shop.example/logo.png',
      logo2nd: 'https://shop.example/sub.png',
      skin: '#C1272C',
      parentEmail: 'mom@example.com',
      ssgpayPhone: '010-1234 5678',
      slimquota: '11-2:3^34-2:3',
      mallpoint: '11:34',
      card: '14',
      merchantName: '포트원 상점',
      options: 'below1000 noeasypay ocb paypopup hidebar global-visa3d apprun-check',
    }),
    {
      logo_url: 'https://shop.example/logo.png',
      logo_2nd: 'https://shop.example/sub.png',
      parentemail: 'mom@example.com',
      Ini_SSGPAY_MDN: '01012345678',
      acceptmethod: ['SKIN(#C1272C)', 'below1000', 'noeasypay', 'ocb', 'paypopup', 'hidebar', 'slimquota(11-2:3^34-2:3)', 'mallpoint(11:34)'],
      P_CARD_OPTION: 'selcode=14',
      P_MNAME: '포트원 상점',
      P_RESERVED: ['below1000=Y', 'noeasypay=Y', 'global_visa3d=Y', 'apprun_check=Y'],
    },
  );
});

test('flags: PC-only, mobile-only, both; repeated flags once', () => {
  assert.deepEqual(buildInicisBypass({ options: 'ocb hidebar' }), { acceptmethod: ['ocb', 'hidebar'] });
  assert.deepEqual(buildInicisBypass({ options: ['global-visa3d'] }), { P_RESERVED: ['global_visa3d=Y'] });
  assert.deepEqual(buildInicisBypass({ options: 'below1000, below1000' }), { acceptmethod: ['below1000'], P_RESERVED: ['below1000=Y'] });
});

test('an unknown flag is kept in acceptmethod so the rules can name it', () => {
  assert.deepEqual(buildInicisBypass({ options: 'below100' }), { acceptmethod: ['below100'] });
});

test('nothing set gives no bypass at all', () => {
  assert.equal(buildInicisBypass({}), undefined);
  assert.equal(buildInicisBypass({ logoUrl: '', options: '  ' }), undefined);
});

test('a card given as selcode=… is not wrapped twice', () => {
  assert.deepEqual(buildInicisBypass({ card: 'selcode=04' }), { P_CARD_OPTION: 'selcode=04' });
});

test('the raw object is merged over the options, key by key', () => {
  assert.deepEqual(
    buildInicisBypass({ skin: '#000000', merchantName: 'A', options: 'below1000' }, { acceptmethod: ['ocb'], logo_url: 'https://x/y.png', P_MNAME: undefined }),
    { acceptmethod: ['ocb'], P_MNAME: 'A', P_RESERVED: ['below1000=Y'], logo_url: 'https://x/y.png' },
  );
});

test('billing keys: carduse, raw over attribute', () => {
  assert.deepEqual(buildInicisBillingKeyBypass('percard'), { carduse: 'percard' });
  assert.deepEqual(buildInicisBillingKeyBypass('percard', { carduse: 'cocard' }), { carduse: 'cocard' });
  assert.equal(buildInicisBillingKeyBypass(undefined), undefined);
});

test('identity verification: flgFixedUser always set (KG Inicis requires it), options and raw object over them', () => {
  assert.deepEqual(buildInicisUnifiedBypass({}), { flgFixedUser: 'N' });
  assert.deepEqual(buildInicisUnifiedBypass({ fixedUser: true, directAgency: 'PASS', logoUrl: '' }), { flgFixedUser: 'Y', directAgency: 'PASS' });
  assert.deepEqual(buildInicisUnifiedBypass({ fixedUser: true, directAgency: 'PASS' }, { flgFixedUser: 'N', directAgency: undefined, DI_CODE: 'salt' }), {
    flgFixedUser: 'N',
    directAgency: 'PASS',
    DI_CODE: 'salt',
  });
});
