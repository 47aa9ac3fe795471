// The Meta simulator as a separate process: it answers the app's Graph API calls, signs
// webhooks like Meta and delivers them to the app's webhook server, over real HTTP.
//
// scripts/e2e fixes both ends before the app starts: the app calls the Graph API at
// 127.0.0.1:CHATSPHERE_E2E_SIM_PORT and listens for webhooks at
// 127.0.0.1:CHATSPHERE_E2E_WEBHOOK_PORT. A spec starts the simulator on that port, before or
// after launchApp(), and gives the app the same secrets through the test keychain.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { appWebhookPort, logsDir, simulatorBinary, simulatorPort, slug } from './env.js';

/** The secrets the simulator checks; pass the same ones to launchApp({ secrets }). */
export interface SimulatorSecrets {
  appSecret: string;
  accessToken: string;
}

/** The keychain entries that make the app talk to a simulator started with `secrets`. */
export function appSecretsFor(secrets: SimulatorSecrets): Record<string, string> {
  return { 'app-secret': secrets.appSecret, 'access-token': secrets.accessToken };
}

export interface InboundMedia {
  kind: 'image' | 'video' | 'audio' | 'document' | 'sticker';
  mime_type: string;
  data_base64: string;
  caption?: string;
  filename?: string;
}

export interface InboundRequest {
  from?: string;
  user_id?: string;
  name?: string;
  /** How many times Meta delivers the same message. */
  copies?: number;
  /** A business message the customer quotes. */
  reply_to?: string;
  message?: Record<string, unknown>;
  /** An attachment the app then downloads from the simulator. */
  media?: InboundMedia;
}

/** A message the app sent through `POST /{version}/{phone-number-id}/messages`. */
export interface SentMessage {
  wamid: string;
  phone_number_id: string;
  to: string;
  message_type: string;
  /** The request body as the simulator received it. */
  request: Record<string, unknown>;
  graph_version: string;
}

/** A file the app uploaded through `POST /{version}/{phone-number-id}/media`. */
export interface Upload {
  /** The media id the simulator answered with. */
  id: string;
  phone_number_id: string;
  mime_type: string;
  file_name: string | null;
  size_bytes: number;
  sha256_hex: string;
}

/** A read receipt (or typing indicator) the app sent: `POST /messages` with status read. */
export interface ReadReceipt {
  phone_number_id: string;
  message_id: string;
  typing_indicator: boolean;
}

export interface Simulator {
  /** The simulator's base URL (Graph API and control API). */
  baseUrl: string;
  /** A customer writes; resolves once the app answered the webhook. */
  inbound(request: InboundRequest): Promise<{ wamid: string }>;
  /** What the app has sent so far, oldest first. */
  sent(): Promise<SentMessage[]>;
  /** What the app has uploaded so far, oldest first. */
  uploads(): Promise<Upload[]>;
  /** The read receipts the app has sent so far, oldest first. */
  readReceipts(): Promise<ReadReceipt[]>;
  /** Waits until the app has sent a message matching `predicate`, and returns it. */
  waitForSent(predicate: (message: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  stop(): Promise<void>;
}

/** Starts `chatsphere-sim serve` on the run's simulator port, delivering to the app's webhook port. */
export async function startSimulator(secrets: SimulatorSecrets, name = 'simulator'): Promise<Simulator> {
  const log = fs.createWriteStream(path.join(logsDir(), `simulator-${slug(name)}.log`));
  const listen = `127.0.0.1:${simulatorPort()}`;
  const child: ChildProcess = spawn(
    simulatorBinary(),
    [
      'serve',
      '--listen',
      listen,
      '--webhook-url',
      `http://127.0.0.1:${appWebhookPort()}/webhook`,
      '--app-secret',
      secrets.appSecret,
      '--access-token',
      secrets.accessToken,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.pipe(log);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the simulator exited early (${code}); see ${log.path}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      const match = /^listening on (\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    });
  });
  if (baseUrl !== `http://${listen}`) throw new Error(`the simulator listens on ${baseUrl}, not on ${listen}`);

  async function control(method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the simulator refused ${method} ${route}: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  }

  const sent = async () => ((await control('GET', '/_sim/sent')) as { data: SentMessage[] }).data;

  return {
    baseUrl,
    inbound: async (request) => (await control('POST', '/_sim/inbound', request)) as { wamid: string },
    sent,
    uploads: async () => ((await control('GET', '/_sim/uploads')) as { data: Upload[] }).data,
    readReceipts: async () => ((await control('GET', '/_sim/read-receipts')) as { data: ReadReceipt[] }).data,
    async waitForSent(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await sent();
        const found = all.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`the app sent nothing matching within ${timeoutMs} ms; sent: ${JSON.stringify(all)}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
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
