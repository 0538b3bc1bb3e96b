// PC or mobile, as KG Inicis's two modules (and PortOne's UA parsing) see it.
import type { Device } from '../inicis/rules.js';

/** The parts of `navigator` the detection reads (User-Agent Client Hints first, then the UA string). */
export interface NavigatorLike {
  userAgent: string;
  userAgentData?: { mobile?: boolean } | undefined;
}

/** `mobile` on phones and tablets (iPad included), `pc` otherwise. */
export function detectDevice(nav: NavigatorLike = navigator as NavigatorLike): Device {
  const hinted = nav.userAgentData?.mobile;
  if (hinted) return 'mobile';
  return /Mobi|Android|iPhone|iPad|iPod/i.test(nav.userAgent) ? 'mobile' : 'pc';
}
