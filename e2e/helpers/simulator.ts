// The Meta simulator as a separate process: it signs webhooks like Meta and delivers
// them to the app's webhook server, over real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { logsDir, simulatorBinary } from './env.js';

export interface InboundRequest {
  from?: string;
  user_id?: string;
  name?: string;
  /** How many times Meta delivers the same message. */
  copies?: number;
  message: Record<string, unknown>;
}

export interface Simulator {
  /** The simulator's base URL (Graph API and control API). */
  baseUrl: string;
  /** A customer sends a message; resolves once the app answered the webhook. */
  inbound(request: InboundRequest): Promise<{ wamid: string }>;
  stop(): Promise<void>;
}

/** Starts `chatsphere-sim serve`, delivering webhooks to `webhookUrl` signed with `appSecret`. */
export async function startSimulator(webhookUrl: string, appSecret: string): Promise<Simulator> {
  const log = fs.createWriteStream(path.join(logsDir(), 'simulator.log'));
  const child: ChildProcess = spawn(
    simulatorBinary(),
    ['serve', '--listen', '127.0.0.1:0', '--webhook-url', webhookUrl, '--app-secret', appSecret],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.pipe(log);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the simulator exited early (${code})`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      const match = /^listening on (\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    });
  });
  return {
    baseUrl,
    async inbound(request) {
      const response = await fetch(`${baseUrl}/_sim/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`the simulator refused the inbound message: ${response.status} ${text}`);
      return JSON.parse(text) as { wamid: string };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      log.end();
    },
  };
}
