// Data dirs for the app under test.
//
// tauri-driver gives the app its own environment, fixed when the driver starts, so the app
// always reads CHATSPHERE_DATA_DIR from the same path: a symlink. Preparing a launch means
// filling a fresh folder and pointing the symlink at it before the app starts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_APP_IDENTIFIER, appDataLink, logsDir, runDir, seedBinary, slug } from './env.js';

const run = promisify(execFile);

export interface DataDirOptions {
  /** Fill the data dir with the developer seed (contacts, conversations, messages). */
  seed?: boolean;
  /**
   * Secrets to put in the keychain before the app starts, e.g. `{ 'app-secret': '…' }`.
   * The test keychain holds exactly these: whatever an earlier launch stored is removed.
   */
  secrets?: Record<string, string>;
  /** A name for the data dir and its logs. */
  name?: string;
  /** Further preparation of the data dir before the app starts. */
  prepare?: (dataDir: string) => Promise<void> | void;
}

/** Creates a fresh data dir, seeded when asked, and returns its path. */
export async function prepareDataDir(options: DataDirOptions = {}): Promise<string> {
  const parent = path.join(runDir(), 'data');
  fs.mkdirSync(parent, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(parent, `${slug(options.name ?? 'launch')}-`));
  await clearTestKeychain();
  if (options.seed || options.secrets) {
    await seedDataDir(dataDir, options.secrets ?? {});
  }
  await options.prepare?.(dataDir);
  return dataDir;
}

/** Removes every secret the app under test keeps in the (throwaway) session keychain. */
export async function clearTestKeychain(): Promise<void> {
  // secret-tool exits with 1, silently, when no item matched; a real failure says why.
  const attempt = async (args: string[]) => {
    try {
      return (await run('secret-tool', args, { timeout: 15_000 })).stdout;
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
      if (e.code === 1 && !e.stderr?.trim()) return e.stdout ?? '';
      throw new Error(`secret-tool ${args.join(' ')} failed: ${e.message}`);
    }
  };
  await attempt(['clear', 'service', TEST_APP_IDENTIFIER]);
  const left = await attempt(['search', '--all', 'service', TEST_APP_IDENTIFIER]);
  if (left.trim()) throw new Error(`the test keychain still holds secrets after clearing it:\n${left}`);
}

/**
 * Runs the developer seed command on a data dir, storing `secrets` in the test keychain;
 * its output goes to e2e/logs/.
 */
export async function seedDataDir(dataDir: string, secrets: Record<string, string> = {}): Promise<void> {
  const bin = seedBinary();
  const log = path.join(logsDir(), `seed-${path.basename(dataDir)}.log`);
  const args = ['--data-dir', dataDir];
  if (Object.keys(secrets).length > 0) {
    args.push('--keychain-service', TEST_APP_IDENTIFIER);
    for (const [name, value] of Object.entries(secrets)) args.push('--secret', `${name}=${value}`);
  }
  const header = `$ ${bin} --data-dir ${dataDir}\n`;
  try {
    const { stdout, stderr } = await run(bin, args, { timeout: 60_000 });
    fs.writeFileSync(log, header + stdout + stderr);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    fs.writeFileSync(log, header + (e.stdout ?? '') + (e.stderr ?? ''));
    throw new Error(`seeding ${dataDir} failed: ${e.message} (see ${log})`);
  }
}

/** Points the app's data dir at `dataDir`; the symlink is replaced atomically by a rename. */
export function useDataDir(dataDir: string): void {
  const link = appDataLink();
  const next = `${link}.next`;
  fs.rmSync(next, { force: true });
  fs.symlinkSync(dataDir, next);
  fs.renameSync(next, link);
}
