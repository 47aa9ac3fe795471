// Where an end-to-end run keeps things. scripts/e2e sets these variables; reading them here
// fails loudly when a spec is started some other way.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the end-to-end suite with scripts/e2e`);
  }
  return value;
}

/** The repository's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The app binary built for tests (tauri build --debug with tauri.conf.test.json). */
export const appBinary = (): string => required('CHATSPHERE_E2E_APP');

/** The developer seed command (`chatsphere-devseed --data-dir DIR`). */
export const seedBinary = (): string => required('CHATSPHERE_E2E_SEED_BIN');

/** The Meta simulator (`chatsphere-sim`). */
export const simulatorBinary = (): string => required('CHATSPHERE_E2E_SIM_BIN');

/**
 * The simulator's port on 127.0.0.1. scripts/e2e picks it before tauri-driver starts and
 * points the app's Graph API base URL (CHATSPHERE_GRAPH_BASE_URL) at it.
 */
export const simulatorPort = (): number => Number(required('CHATSPHERE_E2E_SIM_PORT'));

/** The app's webhook port on 127.0.0.1 (CHATSPHERE_WEBHOOK_LISTEN), fixed for the run. */
export const appWebhookPort = (): number => Number(required('CHATSPHERE_E2E_WEBHOOK_PORT'));

/** The keychain namespace of the app under test: the test config's identifier. */
export const TEST_APP_IDENTIFIER = 'io.chatsphere.desktop.test';

/** tauri-driver's port on 127.0.0.1. */
export const driverPort = (): number => Number(required('CHATSPHERE_E2E_PORT'));

/** The run's throwaway folder (HOME, runtime dir, data dirs). */
export const runDir = (): string => required('CHATSPHERE_E2E_TMP');

/** The path the app reads as CHATSPHERE_DATA_DIR: a symlink to the current prepared dir. */
export const appDataLink = (): string => required('CHATSPHERE_DATA_DIR');

export const screenshotsDir = (): string =>
  process.env.CHATSPHERE_E2E_SCREENSHOTS ?? path.join(repoRoot, 'e2e', 'screenshots');

export const logsDir = (): string => process.env.CHATSPHERE_E2E_LOGS ?? path.join(repoRoot, 'e2e', 'logs');

/** A file-name-safe form of a test or suite title. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'untitled'
  );
}
