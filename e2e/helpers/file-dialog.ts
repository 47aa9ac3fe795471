// The system's file dialog, driven as a person would: it is a native GTK window, out of
// WebDriver's reach, so the keyboard of the virtual display types the file's path into it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The title the app gives its "attach" file dialog (src-tauri/src/files.rs). */
export const ATTACH_DIALOG_TITLE = 'Choose files to send';

async function xdotool(...args: string[]): Promise<string> {
  const { stdout } = await run('xdotool', args, { timeout: 20_000 });
  return stdout.trim();
}

async function visibleWindow(title: string): Promise<string | null> {
  try {
    const ids = await xdotool('search', '--onlyvisible', '--name', `^${title}$`);
    return ids.split('\n').filter(Boolean).pop() ?? null;
  } catch {
    // xdotool exits 1 when nothing matches.
    return null;
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Waits for the native file dialog titled `title`, gives it the keyboard, opens its location
 * field (Ctrl+L), types `absolutePath` and presses Enter; resolves once the dialog is gone.
 * `beforeConfirm` runs with the path typed in, e.g. to take a screenshot of the dialog.
 */
export async function chooseInFileDialog(
  absolutePath: string,
  options: { title?: string; beforeConfirm?: () => Promise<unknown> } = {},
): Promise<void> {
  const title = options.title ?? ATTACH_DIALOG_TITLE;
  const dialog = await waitFor(`the file dialog "${title}" did not open`, 20_000, () => visibleWindow(title));
  // No window manager runs on the virtual display: the dialog gets the focus explicitly.
  await xdotool('windowfocus', '--sync', dialog);
  await xdotool('key', '--clearmodifiers', 'ctrl+l');
  await xdotool('type', '--delay', '20', absolutePath);
  await options.beforeConfirm?.();
  // In a multiple-selection dialog the first Enter takes the typed location (it enables
  // "Open") and the next one opens it. Enter is pressed again only while the dialog is still
  // there, and after a long wait, so that no keystroke reaches the app's window.
  for (const waitMs of [2_000, 15_000, 15_000]) {
    if ((await visibleWindow(title)) === null) return;
    await xdotool('key', 'Return');
    const closed = await waitFor(`the file dialog "${title}" did not close`, waitMs, async () =>
      (await visibleWindow(title)) === null ? true : null,
    ).catch(() => false);
    if (closed) return;
  }
  throw new Error(`the file dialog "${title}" did not take ${absolutePath}`);
}
