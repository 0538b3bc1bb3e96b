import Link from 'next/link';
import type { ReactNode } from 'react';

export const metadata = { title: 'Next.js · portone-checkout-kit' };

export default function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="ko">
      <body style={{ fontFamily: "system-ui, 'NanumGothic', sans-serif", margin: '2rem', color: '#1f2937' }}>
        <header style={{ display: 'flex', gap: '2rem', alignItems: 'baseline' }}>
          <strong>달빛 커피 · Next.js</strong>
          <nav style={{ display: 'flex', gap: '1rem' }}>
            <Link href="/">홈</Link>
            <Link href="/checkout">결제하기</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
