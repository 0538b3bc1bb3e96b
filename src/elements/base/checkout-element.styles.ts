// Shared look of the three buttons, themed through the public `--portone-*` properties only; the
// rules read the private `--_*` copies. Written one rule per line: it ships as is in the bundle.
// A constant string through `unsafeCSS` (nothing interpolated, so nothing unsafe): the `css` tag
// only adds a check for interpolated values, which costs the bundle its code and error text.
import { unsafeCSS } from '@lit/reactive-element';

export const checkoutStyles = unsafeCSS(`
:host{--_bg:var(--portone-button-background,#1a56db);--_fg:var(--portone-button-color,#fff);--_radius:var(--portone-button-radius,.5rem);--_padding:var(--portone-button-padding,.75rem 1.25rem);--_error:var(--portone-error-color,#b91c1c);display:inline-flex;flex-direction:column;gap:.375rem;font-family:var(--portone-font-family,inherit)}
:host([hidden]){display:none}
button{display:inline-flex;align-items:center;justify-content:center;gap:.5rem;min-height:2.75rem;padding:var(--_padding);border:0;border-radius:var(--_radius);background:var(--_bg);color:var(--_fg);font:inherit;font-weight:600;cursor:pointer}
button:focus-visible{outline:2px solid var(--_bg);outline-offset:2px}
button:disabled{cursor:default;opacity:.75}
.spinner{width:1em;height:1em;border:2px solid;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){.spinner{animation-duration:2.4s}}
[part=status]{margin:0;font-size:.875em;white-space:pre-line}
:host([state=failed]) [part=status]{color:var(--_error)}
`);
