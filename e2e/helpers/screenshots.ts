// Screenshots of the app window, saved under e2e/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { browser } from '@wdio/globals';
import { screenshotsDir, slug } from './env.js';

/** Saves a screenshot named after `parts` (e.g. suite and test title); returns its path. */
export async function saveScreenshot(...parts: string[]): Promise<string> {
  const dir = screenshotsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${parts.map(slug).join('--')}.png`);
  await browser.saveScreenshot(file);
  return file;
}
