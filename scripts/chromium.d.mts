/** Flags every launch uses: headless, no sandbox (root), and no background traffic to Google. */
export const chromiumArgs: string[];
/** The Chromium executable to use, or undefined when the machine has none. */
export function findChromium(): string | undefined;
/** Returns a Chromium path, installing Debian's `chromium` first when running as root with apt-get. */
export function ensureChromium(): string;
