// WebdriverIO drives the real app through tauri-driver (which fronts WebKitWebDriver).
// scripts/e2e builds the app, starts tauri-driver and sets the CHATSPHERE_E2E_* variables.
import { appBinary, driverPort } from './helpers/env.js';
import { saveScreenshot } from './helpers/screenshots.js';

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

  // One screenshot per test, named after it; failed tests are marked in the name.
  afterTest: async (test, _context, result) => {
    await saveScreenshot(test.parent, test.title, result.passed ? 'passed' : 'failed').catch((error: unknown) => {
      console.warn(`screenshot of "${test.title}" failed: ${String(error)}`);
    });
  },
};
