/** Debian's Chromium through playwright-core, as every real-browser test and script here starts it. */
import { chromium, type Browser } from 'playwright-core';

/** Root needs --no-sandbox; the rest keeps an offline Chromium from trying the network. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** `CHROME_PATH`, else /usr/bin/chromium; nothing is downloaded. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS, ...extraArgs],
  });
}
