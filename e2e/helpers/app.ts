// Starting the app under test with a prepared data dir.
//
// tauri-driver gives the app its own environment, fixed when the driver starts, so the app
// always reads CHATSPHERE_DATA_DIR from the same path: a symlink. Preparing a launch means
// filling a fresh folder, pointing the symlink at it, and starting a new WebDriver session
// (which closes the running app and starts a new one).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { browser } from '@wdio/globals';
import { appDataLink, logsDir, runDir, seedBinary, slug } from './env.js';

const run = promisify(execFile);

export interface LaunchOptions {
  /** Fill the data dir with the developer seed (contacts, conversations, messages). */
  seed?: boolean;
  /** A name for the data dir and its logs; defaults to a counter. */
  name?: string;
  /** Further preparation of the data dir before the app starts. */
  prepare?: (dataDir: string) => Promise<void> | void;
}

let launches = 0;

/** Creates a fresh data dir, seeded when asked, and returns its path. */
export async function prepareDataDir(options: LaunchOptions = {}): Promise<string> {
  launches += 1;
  const name = `${String(launches).padStart(2, '0')}-${slug(options.name ?? 'launch')}`;
  const dataDir = path.join(runDir(), 'data', name);
  fs.mkdirSync(dataDir, { recursive: true });
  if (options.seed) {
    await seedDataDir(dataDir, name);
  }
  await options.prepare?.(dataDir);
  return dataDir;
}

/** Runs the developer seed command on a data dir; its output goes to e2e/logs/. */
export async function seedDataDir(dataDir: string, logName = slug(path.basename(dataDir))): Promise<void> {
  const bin = seedBinary();
  const log = path.join(logsDir(), `seed-${logName}.log`);
  try {
    const { stdout, stderr } = await run(bin, ['--data-dir', dataDir], { timeout: 60_000 });
    fs.writeFileSync(log, `$ ${bin} --data-dir ${dataDir}\n${stdout}${stderr}`);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    fs.writeFileSync(log, `$ ${bin} --data-dir ${dataDir}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    throw new Error(`seeding ${dataDir} failed: ${e.message} (see ${log})`);
  }
}

/** Points the app's data dir at `dataDir` (atomically: the symlink is replaced by a rename). */
function useDataDir(dataDir: string): void {
  const link = appDataLink();
  const next = `${link}.next`;
  fs.rmSync(next, { force: true });
  fs.symlinkSync(dataDir, next);
  fs.renameSync(next, link);
}

/**
 * Restarts the app on a freshly prepared data dir and waits until its page has loaded.
 * Returns the data dir, for specs that look at files the app writes there.
 */
export async function launchApp(options: LaunchOptions = {}): Promise<string> {
  const dataDir = await prepareDataDir(options);
  useDataDir(dataDir);
  await browser.reloadSession();
  await browser.waitUntil(
    async () => (await browser.execute(() => document.readyState)) === 'complete',
    { timeout: 30_000, timeoutMsg: 'the app page did not finish loading' },
  );
  return dataDir;
}
