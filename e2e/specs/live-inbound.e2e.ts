// Customers write while the app is open: Meta (the simulator) signs and delivers the
// webhooks to the app's own webhook server, and the inbox updates without a reload.
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';
import { saveScreenshot } from '../helpers/screenshots.js';
import { appWebhookPort } from '../helpers/env.js';
import { appSecretsFor, startSimulator, type Simulator } from '../helpers/simulator.js';

const SECRETS = { appSecret: 'e2e-app-secret-5f1c', accessToken: 'e2e-access-token-live-inbound' };
const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');

/** The app's webhook port, as the app reports it through its own command. */
async function webhookPort(): Promise<number> {
  const info = await browser.execute(async () => {
    const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (cmd: string) => Promise<unknown> } })
      .__TAURI_INTERNALS__;
    return (await internals.invoke('app_info')) as { webhookPort: number | null };
  });
  if (!info.webhookPort) throw new Error('the app did not start its webhook server');
  return info.webhookPort;
}

describe('messages arriving while the app is open', () => {
  let simulator: Simulator;

  before(async () => {
    await launchApp({ seed: true, secrets: appSecretsFor(SECRETS), name: 'live-inbound' });
    await expect(conversationList()).toBeDisplayed({ wait: 30_000 });
    // The simulator delivers to the port the run fixed (CHATSPHERE_WEBHOOK_LISTEN).
    expect(await webhookPort()).toBe(appWebhookPort());
    simulator = await startSimulator(SECRETS, 'live-inbound');
  });

  after(async () => {
    await simulator?.stop();
  });

  it('shows a new customer in the list, unread', async () => {
    await simulator.inbound({ from: '34600111222', name: 'Lucía Martín', message: { type: 'text', body: '¿Tenéis tarta de queso para mañana? 🍰' } });
    const lucia = option('Lucía Martín');
    await expect(lucia).toBeDisplayed({ wait: 10_000 });
    await expect(lucia.$('[aria-label="1 unread message"]')).toBeExisting();
    await expect(lucia).toHaveElementProperty('textContent', expect.stringContaining('tarta de queso'));
    await saveScreenshot('live inbound', 'new customer');
  });

  it('adds a message to the open conversation as it arrives, once', async () => {
    await option('Kerry Fisher').click();
    await expect(thread()).toBeDisplayed();
    const messages = thread().$$('[data-testid="message"]');
    await expect(messages).toBeElementsArrayOfSize(4);
    // Meta delivers this one three times, as it does when retrying.
    await simulator.inbound({
      from: '16505551234',
      name: 'Kerry Fisher',
      message: { type: 'text', body: 'Can I pick it up at 5?' },
      copies: 3,
    });
    await expect(messages).toBeElementsArrayOfSize(5, { wait: 10_000 });
    await expect(thread()).toHaveText(expect.stringContaining('Can I pick it up at 5?'));
    // Give stray copies time to show up if deduplication failed.
    await browser.pause(1_500);
    await expect(messages).toBeElementsArrayOfSize(5);
    await saveScreenshot('live inbound', 'open conversation');
  });
});
