// Product pictures, drawn as SVG from a few shapes and each product's palette, so the shop looks
// like a shop without shipping photographs.
import type { ProductArt } from './catalog.js';

const beans = (color: string): string =>
  [
    [70, 330, -30],
    [96, 352, 20],
    [312, 338, 35],
    [336, 316, -15],
    [290, 360, 60],
  ]
    .map(
      ([x, y, r]) =>
        `<g transform="translate(${x} ${y}) rotate(${r})"><ellipse rx="11" ry="15" fill="${color}"/><path d="M-2 -12 Q5 0 -2 12" stroke="#00000033" stroke-width="2.5" fill="none"/></g>`,
    )
    .join('');

function bag([, main, accent]: ProductArt['palette']): string {
  return `<path d="M122 112 H278 L296 338 H104 Z" fill="${main}"/>
<path d="M122 112 H278 L281 150 H119 Z" fill="#00000014"/>
<rect x="114" y="74" width="172" height="44" rx="5" fill="${main}"/>
<rect x="114" y="104" width="172" height="6" fill="#0000001f"/>
<rect x="98" y="82" width="204" height="9" rx="4.5" fill="${accent}"/>
<rect x="142" y="168" width="116" height="128" rx="10" fill="#fffaf0"/>
<g transform="translate(200 214) rotate(-25)"><ellipse rx="22" ry="31" fill="${accent}"/><path d="M-4 -27 Q12 0 -4 27" stroke="#fffaf0" stroke-width="4.5" fill="none"/></g>
<rect x="163" y="258" width="74" height="7" rx="3.5" fill="${main}" opacity=".75"/>
<rect x="176" y="273" width="48" height="5" rx="2.5" fill="${main}" opacity=".4"/>
${beans(accent)}`;
}

function dripbag([, main, accent]: ProductArt['palette']): string {
  const packet = (x: number, rotate: number, color: string) =>
    `<g transform="translate(${x} 150) rotate(${rotate})"><rect x="-44" y="0" width="88" height="118" rx="6" fill="#fffaf0" stroke="#0000001a" stroke-width="2"/><rect x="-44" y="0" width="88" height="26" rx="6" fill="${color}"/><circle cx="0" cy="70" r="18" fill="${color}" opacity=".85"/><path d="M-6 58 Q6 70 -6 82" stroke="#fffaf0" stroke-width="3" fill="none"/></g>`;
  return `<rect x="86" y="228" width="228" height="112" rx="8" fill="${main}"/>
<rect x="86" y="228" width="228" height="22" fill="#00000022"/>
${packet(160, -8, accent)}${packet(240, 7, main)}
<rect x="86" y="250" width="228" height="90" rx="8" fill="${main}"/>
<rect x="120" y="282" width="160" height="30" rx="15" fill="#fffaf0"/>
<rect x="140" y="293" width="120" height="8" rx="4" fill="${main}" opacity=".7"/>`;
}

function dripper([, main, accent]: ProductArt['palette']): string {
  const ribs = [-36, -18, 0, 18, 36].map((dx) => `<path d="M${200 + dx} 120 L${200 + dx * 0.45} 210" stroke="${accent}" stroke-width="3" opacity=".35"/>`).join('');
  return `<path d="M170 300 H230 L246 338 H154 Z" fill="${accent}" opacity=".25"/>
<rect x="140" y="238" width="120" height="80" rx="14" fill="${accent}" opacity=".9"/>
<path d="M260 254 Q292 258 288 280 Q284 300 258 298" stroke="${accent}" stroke-width="10" fill="none" opacity=".9"/>
<rect x="120" y="212" width="160" height="16" rx="8" fill="${main}" stroke="#00000026" stroke-width="2"/>
<path d="M122 106 H278 L226 214 H174 Z" fill="${main}" stroke="#00000026" stroke-width="2"/>
${ribs}
<path d="M150 120 Q200 100 250 120" stroke="${accent}" stroke-width="5" fill="none" opacity=".5"/>
<path d="M186 72 Q176 56 188 42 M206 76 Q196 58 210 42 M226 72 Q216 56 228 42" stroke="${accent}" stroke-width="4" stroke-linecap="round" fill="none" opacity=".45"/>`;
}

function mug([, main, accent]: ProductArt['palette']): string {
  return `<path d="M262 170 Q318 170 316 222 Q314 270 258 272" stroke="${main}" stroke-width="20" fill="none"/>
<path d="M120 138 H268 V292 Q268 330 230 330 H158 Q120 330 120 292 Z" fill="${main}"/>
<path d="M120 138 H268 V166 H120 Z" fill="#ffffff26"/>
<ellipse cx="194" cy="138" rx="74" ry="14" fill="${accent}"/>
<ellipse cx="194" cy="140" rx="64" ry="9" fill="#3b2418"/>
<path d="M166 112 Q154 92 168 74 M194 116 Q182 94 198 72 M222 112 Q210 92 224 74" stroke="${accent}" stroke-width="5" stroke-linecap="round" fill="none" opacity=".4"/>
<circle cx="160" cy="232" r="10" fill="#ffffff40"/><circle cx="186" cy="252" r="6" fill="#ffffff33"/>`;
}

function gift([, main, accent]: ProductArt['palette']): string {
  return `<rect x="98" y="176" width="204" height="160" rx="10" fill="${main}"/>
<rect x="86" y="142" width="228" height="50" rx="10" fill="${main}"/>
<rect x="86" y="180" width="228" height="12" fill="#0000001f"/>
<rect x="188" y="142" width="24" height="194" fill="${accent}"/>
<path d="M200 144 C168 96 124 112 146 138 C156 150 184 148 200 144 Z" fill="${accent}"/>
<path d="M200 144 C232 96 276 112 254 138 C244 150 216 148 200 144 Z" fill="${accent}"/>
<circle cx="200" cy="142" r="11" fill="${accent}" stroke="#0000001a" stroke-width="2"/>
<rect x="120" y="212" width="50" height="62" rx="6" fill="#fffaf0" opacity=".9"/>
<path d="M132 236 H158 M132 248 H152" stroke="${main}" stroke-width="4" stroke-linecap="round"/>`;
}

function bottle([, main, accent]: ProductArt['palette']): string {
  return `<rect x="182" y="52" width="36" height="26" rx="4" fill="${accent}"/>
<path d="M186 78 H214 V128 Q262 146 262 196 V316 Q262 336 242 336 H158 Q138 336 138 316 V196 Q138 146 186 128 Z" fill="${main}"/>
<path d="M150 200 Q150 160 186 142" stroke="#ffffff40" stroke-width="8" stroke-linecap="round" fill="none"/>
<rect x="150" y="214" width="100" height="78" rx="8" fill="#fffaf0"/>
<path d="M168 240 H232 M176 256 H224" stroke="${main}" stroke-width="5" stroke-linecap="round"/>
<text x="200" y="282" text-anchor="middle" font-family="sans-serif" font-size="16" font-weight="700" fill="${accent}">19+</text>`;
}

const DRAW: Record<ProductArt['kind'], (palette: ProductArt['palette']) => string> = { bag, dripbag, dripper, mug, gift, bottle };

/** A square SVG picture of a product (decorative: pages give the `<img>` its alt text). */
export function productSvg(art: ProductArt): string {
  const [background] = art.palette;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">
<rect width="400" height="400" fill="${background}"/>
<circle cx="330" cy="70" r="90" fill="#ffffff59"/>
<ellipse cx="200" cy="346" rx="132" ry="13" fill="#00000014"/>
${DRAW[art.kind](art.palette)}
</svg>`;
}
