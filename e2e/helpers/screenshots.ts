// Screenshots, saved under e2e/screenshots/.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { browser } from '@wdio/globals';
import { screenshotsDir, slug } from './env.js';

const run = promisify(execFile);

function screenshotPath(parts: string[]): string {
  const dir = screenshotsDir();
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${parts.map(slug).join('--')}.png`);
}

/** Saves the app's page (the webview) named after `parts`; returns the file's path. */
export async function saveScreenshot(...parts: string[]): Promise<string> {
  const file = screenshotPath(parts);
  await browser.saveScreenshot(file);
  return file;
}

/**
 * Saves the whole virtual screen (window frame, dialogs, notification popups), which the
 * webview screenshot cannot show; returns the file's path.
 */
export async function saveDesktopScreenshot(...parts: string[]): Promise<string> {
  const file = screenshotPath([...parts, 'desktop']);
  await run('import', ['-window', 'root', file], { timeout: 15_000 });
  return file;
}
