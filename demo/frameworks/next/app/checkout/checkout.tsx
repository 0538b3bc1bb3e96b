'use client';
// The checkout button: the kit under /portone prices the cart; callbacks are typed props.
import { useState } from 'react';
import { setSdkUrl } from 'portone-checkout-kit';
import { PaymentButton } from 'portone-checkout-kit/react';

// Unset in production: the elements load PortOne's CDN runtime.
if (process.env.NEXT_PUBLIC_PORTONE_SDK_URL) setSdkUrl(process.env.NEXT_PUBLIC_PORTONE_SDK_URL);

export function Checkout() {
  const [outcome, setOutcome] = useState('');
  return (
    <>
      <PaymentButton
        endpoint="/portone"
        items={[{ id: 'beans', quantity: 1 }]}
        customerName="홍길동"
        customerPhone="010-1234-5678"
        customerEmail="hong@example.com"
        onPaid={(event) => setOutcome(`결제 완료: ${event.detail.order?.orderName} (${event.detail.paymentId})`)}
        onFail={(event) => setOutcome(event.detail.readableMessage)}
        onCancel={() => setOutcome('결제를 취소했습니다.')}
      >
        32,000원 결제하기
      </PaymentButton>
      <p data-outcome>{outcome}</p>
    </>
  );
}
