// Starting the app under test with a prepared data dir (see data-dir.ts).
import { browser } from '@wdio/globals';
import { prepareDataDir, useDataDir, type DataDirOptions } from './data-dir.js';

/**
 * Restarts the app on a freshly prepared data dir and waits until its page has loaded.
 * A new WebDriver session closes the running app and starts a new one. Returns the data
 * dir, for specs that look at the files the app writes there.
 */
export async function launchApp(options: DataDirOptions = {}): Promise<string> {
  const dataDir = await prepareDataDir(options);
  useDataDir(dataDir);
  await browser.reloadSession();
  await browser.waitUntil(async () => (await browser.execute(() => document.readyState)) === 'complete', {
    timeout: 30_000,
    timeoutMsg: 'the app page did not finish loading',
  });
  return dataDir;
}
