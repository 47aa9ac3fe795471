// Desktop notifications, checked where they are delivered: the Notify calls on the session
// bus (org.freedesktop.Notifications). The app's notification plugin drops send errors, so
// what the UI believes it sent proves nothing; the bus does.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { logsDir, slug } from './env.js';

export interface Notification {
  appName: string;
  summary: string;
  body: string;
}

const MATCH = "type='method_call',interface='org.freedesktop.Notifications',member='Notify'";

/** Records every Notify call on the session bus to a file until stopped. */
export class NotificationRecorder {
  private constructor(
    readonly file: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts dbus-monitor and resolves once it is listening. */
  static async start(name = 'notifications'): Promise<NotificationRecorder> {
    const file = path.join(logsDir(), `dbus-${slug(name)}.log`);
    const out = fs.openSync(file, 'w');
    const child = spawn('dbus-monitor', ['--session', MATCH], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      // dbus-monitor prints its own NameAcquired/NameLost signals once it is a monitor.
      const deadline = Date.now() + 10_000;
      const poll = () => {
        if (fs.readFileSync(file, 'utf8').includes('NameLost')) return resolve();
        if (child.exitCode !== null) return reject(new Error(`dbus-monitor exited (${child.exitCode})`));
        if (Date.now() > deadline) return reject(new Error('dbus-monitor did not start listening'));
        setTimeout(poll, 50);
      };
      poll();
    });
    return new NotificationRecorder(file, child);
  }

  /** The Notify calls recorded so far, oldest first. */
  notifications(): Notification[] {
    return parseNotifyCalls(fs.readFileSync(this.file, 'utf8'));
  }

  /** Waits until a notification matching `predicate` was sent, and returns it. */
  async waitFor(predicate: (n: Notification) => boolean, timeoutMs = 10_000): Promise<Notification> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notifications().find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = JSON.stringify(this.notifications());
        throw new Error(`no matching notification within ${timeoutMs} ms; recorded: ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/**
 * Parses dbus-monitor's text output. Notify's arguments are, in order: app_name (string),
 * replaces_id (uint32), app_icon (string), summary (string), body (string), actions,
 * hints, expire_timeout.
 */
export function parseNotifyCalls(text: string): Notification[] {
  const calls = text.split(/^(?=method call )/m).filter((block) => block.includes('member=Notify'));
  return calls.map((block) => {
    const strings = [...block.matchAll(/^ {3}string "((?:[^"\\]|\\.)*)"$/gm)].map((m) => unescape(m[1] ?? ''));
    return { appName: strings[0] ?? '', summary: strings[2] ?? '', body: strings[3] ?? '' };
  });
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
