/**
 * Headless Chromium for browser tests, driven by playwright-core against the system Chromium
 * (playwright's own browser downloads are not used). Close what you launch: `await browser.close()`.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];

/**
 * A fake camera (a moving test pattern) and microphone (a beep), granted without asking: for
 * tests of call media.
 */
export const FAKE_MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

/**
 * Launches headless Chromium, with `extraArgs` after the usual flags (e.g. {@link FAKE_MEDIA_ARGS}).
 *
 * @throws Error when Chromium is not installed at {@link CHROMIUM_PATH}.
 * @example
 * const browser = await launchBrowser();
 * const page = await (await browser.newContext()).newPage();
 * await browser.close();
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium is not installed: apt-get install -y chromium (looked for ${CHROMIUM_PATH})`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
