// The shop's catalog: products, shipping and billing plans. The server prices every order from
// here (the browser only says which products and how many); the pages import it for display.
import type { Lang } from './i18n.js';

export type Localized = Record<Lang, string>;

/** How the generated product picture looks (see server/product-art.ts). */
export interface ProductArt {
  kind: 'bag' | 'dripbag' | 'dripper' | 'mug' | 'gift' | 'bottle';
  /** Background, main colour, accent colour. */
  palette: readonly [string, string, string];
}

export interface Product {
  id: string;
  name: Localized;
  /** One line for the catalog card. */
  summary: Localized;
  description: Localized;
  /** KRW, VAT included. */
  price: number;
  art: ProductArt;
  /** Small label on the card. */
  badge?: Localized;
  /**
   * A small batch: this many to sell when the shop first starts (the admin restocks). Sold through a
   * manual-approval channel, so the shop holds one before any money moves (checkout.ts's `reserve`).
   */
  limitedStock?: number;
  /**
   * Sold to verified adults only (만 19세 이상, 본인인증 first): the kit checks the age, the shop
   * records the member as an adult, and prices no cart with it for anyone else.
   */
  adultOnly?: boolean;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'ethiopia-yirgacheffe',
    name: { ko: '에티오피아 예가체프 원두 200g', en: 'Ethiopia Yirgacheffe beans 200 g' },
    summary: { ko: '자스민 향, 밝은 산미의 라이트 로스트', en: 'Jasmine notes, bright acidity, light roast' },
    description: {
      ko: '해발 2,000m 고지대에서 자란 워시드 예가체프. 자스민과 레몬 껍질 향, 홍차 같은 깔끔한 여운이 특징입니다. 주문 후 로스팅하여 이틀 안에 보내드립니다.',
      en: 'Washed Yirgacheffe grown at 2,000 m. Jasmine and lemon peel on the nose, with a clean, tea-like finish. Roasted to order and shipped within two days.',
    },
    price: 16_000,
    art: { kind: 'bag', palette: ['#fdf0d5', '#c9a227', '#6b4226'] },
    badge: { ko: '베스트', en: 'Best seller' },
  },
  {
    id: 'colombia-supremo',
    name: { ko: '콜롬비아 수프리모 원두 200g', en: 'Colombia Supremo beans 200 g' },
    summary: { ko: '캐러멜 단맛과 견과류 고소함, 미디엄 로스트', en: 'Caramel sweetness and nuts, medium roast' },
    description: {
      ko: '우일라 지역의 수프리모 등급 원두. 밀크 초콜릿과 구운 견과류의 고소함, 부드러운 바디감으로 매일 마시기 좋습니다.',
      en: 'Supremo-grade beans from Huila. Milk chocolate and toasted nuts with a smooth body, an everyday cup.',
    },
    price: 14_000,
    art: { kind: 'bag', palette: ['#e8f3ec', '#2f6f4f', '#d8b26e'] },
  },
  {
    id: 'house-blend',
    name: { ko: '달빛 하우스 블렌드 500g', en: 'Dalbit house blend 500 g' },
    summary: { ko: '라떼에 잘 어울리는 다크 초콜릿 풍미', en: 'Dark chocolate body, made for lattes' },
    description: {
      ko: '브라질과 과테말라를 섞은 달빛의 시그니처 블렌드. 진한 다크 초콜릿 풍미와 묵직한 바디로 에스프레소와 라떼 모두에 잘 어울립니다.',
      en: 'Our signature blend of Brazil and Guatemala. Dark chocolate and a heavy body that shine in espresso and lattes alike.',
    },
    price: 24_000,
    art: { kind: 'bag', palette: ['#e9e6f7', '#2b2d5c', '#f2c14e'] },
    badge: { ko: '시그니처', en: 'Signature' },
  },
  {
    id: 'drip-bag-10',
    name: { ko: '드립백 10개입', en: 'Drip bags, box of 10' },
    summary: { ko: '컵에 걸고 물만 부으면 완성', en: 'Hang on a cup, pour, done' },
    description: {
      ko: '하우스 블렌드와 예가체프를 5개씩 담은 드립백 세트. 사무실이나 캠핑에서도 핸드드립 한 잔을 즐길 수 있습니다.',
      en: 'Five house blend and five Yirgacheffe drip bags. A hand-poured cup at the office or the campsite.',
    },
    price: 12_000,
    art: { kind: 'dripbag', palette: ['#fde8e4', '#d1495b', '#edae49'] },
  },
  {
    id: 'ceramic-dripper',
    name: { ko: '세라믹 드리퍼 (1~2인용)', en: 'Ceramic dripper (1–2 cups)' },
    summary: { ko: '열 보존이 좋은 도자기 드리퍼', en: 'Porcelain dripper that holds its heat' },
    description: {
      ko: '이천 공방에서 빚은 도자기 드리퍼. 나선형 리브가 균일한 추출을 돕고, 두꺼운 벽이 온도를 안정적으로 유지합니다.',
      en: 'Thrown in an Icheon studio. Spiral ribs for an even extraction and thick walls that keep the temperature steady.',
    },
    price: 28_000,
    art: { kind: 'dripper', palette: ['#e3f2fd', '#f7f7f2', '#1d5c8c'] },
  },
  {
    id: 'stoneware-mug',
    name: { ko: '스톤웨어 머그 350ml', en: 'Stoneware mug 350 ml' },
    summary: { ko: '손에 감기는 무광 유약 머그', en: 'Matte-glazed mug that fits the hand' },
    description: {
      ko: '무광 유약으로 마감한 350ml 스톤웨어 머그. 식기세척기와 전자레인지에 사용할 수 있습니다.',
      en: 'A 350 ml stoneware mug with a matte glaze. Dishwasher and microwave safe.',
    },
    price: 18_000,
    art: { kind: 'mug', palette: ['#f1efe9', '#8a9a5b', '#4a4a48'] },
  },
  {
    id: 'gift-set',
    name: { ko: '달빛 선물 세트', en: 'Dalbit gift set' },
    summary: { ko: '원두 2종, 드리퍼, 머그를 한 상자에', en: 'Two coffees, a dripper and a mug in one box' },
    description: {
      ko: '예가체프와 하우스 블렌드 원두, 세라믹 드리퍼, 스톤웨어 머그를 선물 상자에 담았습니다. 메시지 카드를 함께 보내드립니다.',
      en: 'Yirgacheffe and house blend beans, the ceramic dripper and the stoneware mug in a gift box, with a message card.',
    },
    price: 69_000,
    art: { kind: 'gift', palette: ['#f9e0e8', '#9b2242', '#f2c14e'] },
    badge: { ko: '선물용', en: 'Gift' },
  },
  {
    id: 'geisha-small-batch',
    name: { ko: '한정판 파나마 게이샤 원두 100g', en: 'Limited: Panama Geisha beans 100 g' },
    summary: { ko: '한 해 한 번, 소량만 볶는 게이샤', en: 'Roasted once a year, in a small batch' },
    description: {
      ko: '보케테 지역 농장에서 한 해 한 번 들여오는 워시드 게이샤. 베르가못과 복숭아, 꿀 같은 단맛. 소량만 볶아 준비한 수량이 다 팔리면 내년까지 만날 수 없습니다.',
      en: 'A washed Geisha from a Boquete farm, bought once a year. Bergamot, peach and a honeyed sweetness. Roasted in one small batch: once it is gone, it is gone until next year.',
    },
    price: 38_000,
    art: { kind: 'bag', palette: ['#f4ecf7', '#6d2e74', '#e0b84a'] },
    badge: { ko: '한정판', en: 'Limited' },
    limitedStock: 12,
  },
  {
    id: 'coffee-liqueur',
    name: { ko: '달빛 콜드브루 커피 리큐르 500ml', en: 'Dalbit cold brew coffee liqueur 500 ml' },
    summary: { ko: '하우스 블렌드 콜드브루로 만든 17도 리큐르', en: 'A 17% liqueur made with our house blend cold brew' },
    description: {
      ko: '하우스 블렌드를 열여섯 시간 우린 콜드브루에 사탕수수 증류주를 더한 알코올 17도 리큐르. 우유나 아이스크림에 곁들여 보세요. 주류는 만 19세 이상 성인만 구매할 수 있어, 결제 전에 본인인증을 합니다.',
      en: 'Our house blend, cold-brewed for sixteen hours and blended with a sugar-cane spirit: a 17% ABV liqueur for milk or ice cream. Alcohol is sold to adults aged 19 or over only, so you verify your identity before paying.',
    },
    price: 32_000,
    art: { kind: 'bottle', palette: ['#f3ece4', '#3b2418', '#d8b26e'] },
    badge: { ko: '성인 인증 필요', en: 'Adults only (19+)' },
    adultOnly: true,
  },
];

/** Products sold from a small stock, through the manual-approval channel. */
export const isLimited = (id: string): boolean => productById(id)?.limitedStock !== undefined;

/** Products sold to verified adults only. */
export const isAdultOnly = (id: string): boolean => productById(id)?.adultOnly === true;

const BY_ID = new Map(PRODUCTS.map((product) => [product.id, product]));

export function productById(id: string): Product | undefined {
  return BY_ID.get(id);
}

/** Orders below this amount pay a flat shipping fee. */
export const FREE_SHIPPING_FROM = 30_000;
export const SHIPPING_FEE = 3_000;
export const SHIPPING_LINE_ID = 'shipping';

export const shippingFor = (subtotal: number): number => (subtotal > 0 && subtotal < FREE_SHIPPING_FROM ? SHIPPING_FEE : 0);

/** The most of one product a cart may hold. */
export const MAX_QUANTITY = 20;

export interface Plan {
  id: string;
  /** Shown in the payment window and as each period's order name (KG Inicis shows 40 bytes). */
  orderName: string;
  name: Localized;
  description: Localized;
  /** KRW per month. */
  amount: number;
  interval: '1m';
  /** Phone billing needs the product type. */
  productType?: 'REAL' | 'DIGITAL';
  art: ProductArt;
}

/** Card subscription (billing key, first charge now, the next one scheduled). */
export const BEANS_PLAN: Plan = {
  id: 'beans-monthly',
  orderName: '월간 원두 정기배송',
  name: { ko: '월간 원두 정기배송', en: 'Monthly coffee subscription' },
  description: {
    ko: '매달 로스터가 고른 싱글 오리진 원두 200g 두 봉지를 갓 볶아 보내드립니다. 배송비 포함, 언제든 해지할 수 있습니다.',
    en: 'Two fresh 200 g bags of a single origin our roaster picks, every month. Shipping included, cancel any time.',
  },
  amount: 19_900,
  interval: '1m',
  art: { kind: 'bag', palette: ['#efe7dc', '#6b4226', '#c9a227'] },
};

/** Phone billing (billing key and first payment in one window). */
export const CLASS_PLAN: Plan = {
  id: 'class-monthly',
  orderName: '온라인 브루잉 클래스 월 구독',
  name: { ko: '온라인 브루잉 클래스', en: 'Online brewing class' },
  description: {
    ko: '매주 새 핸드드립 레시피 영상과 월 1회 라이브 Q&A. 휴대폰 소액결제로 매달 자동 결제됩니다.',
    en: 'A new pour-over recipe video every week and a monthly live Q&A, billed to your phone every month.',
  },
  amount: 9_900,
  interval: '1m',
  productType: 'DIGITAL',
  art: { kind: 'dripper', palette: ['#e6f4f1', '#f7f7f2', '#0f766e'] },
};

export const PLANS: readonly Plan[] = [BEANS_PLAN, CLASS_PLAN];
