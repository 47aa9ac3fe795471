// WebdriverIO drives the real app through tauri-driver (which fronts WebKitWebDriver).
// scripts/e2e builds the app, starts tauri-driver and sets the CHATSPHERE_E2E_* variables.
import { prepareDataDir, useDataDir } from './helpers/data-dir.js';
import { appBinary, driverPort } from './helpers/env.js';
import { saveDesktopScreenshot, saveScreenshot } from './helpers/screenshots.js';

export const config: WebdriverIO.Config = {
  runner: 'local',
  hostname: '127.0.0.1',
  port: driverPort(),
  path: '/',
  specs: ['./specs/**/*.e2e.ts'],
  // One app window at a time: the app owns a single data dir and keychain namespace.
  maxInstances: 1,
  capabilities: [
    {
      // WebKitWebDriver speaks classic WebDriver only.
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: appBinary() },
    } as WebdriverIO.Capabilities,
  ],
  logLevel: 'warn',
  bail: 0,
  waitforTimeout: 10_000,
  connectionRetryTimeout: 120_000,
  connectionRetryCount: 1,
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 120_000 },

  // Every spec file starts with the app on an empty data dir of its own; specs that need
  // data relaunch it with launchApp().
  beforeSession: async () => {
    useDataDir(await prepareDataDir({ name: 'empty' }));
  },

  // One screenshot of the page per test, named after it and its result; a failed test also
  // gets one of the whole screen.
  afterTest: async (test, _context, result) => {
    const outcome = result.passed ? 'passed' : 'failed';
    const shots = [saveScreenshot(test.parent, test.title, outcome)];
    if (!result.passed) shots.push(saveDesktopScreenshot(test.parent, test.title, outcome));
    for (const shot of await Promise.allSettled(shots)) {
      if (shot.status === 'rejected') console.warn(`screenshot of "${test.title}" failed: ${String(shot.reason)}`);
    }
  },
};
