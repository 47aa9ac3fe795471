// Sending to Meta over real HTTP: the app's Graph API base URL is the simulator's, so a send
// travels to it, and the simulator's status webhooks (sent → delivered → read)
// come back to the app's webhook server and move the bubble's ticks.
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';
import { saveScreenshot } from '../helpers/screenshots.js';
import { appSecretsFor, startSimulator, type Simulator } from '../helpers/simulator.js';

const SECRETS = { appSecret: 'e2e-app-secret-send-9d2e', accessToken: 'e2e-access-token-send-41b7' };
const MARIANA = '5511987654321';

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');
const messageBox = () => $('textarea[aria-label="Message"]');
/** The message bubble whose text contains `text`. */
const messageWith = (text: string) => thread().$(`.//*[@data-testid="message"][contains(., "${text}")]`);

describe('sending through the Graph API', () => {
  let simulator: Simulator;

  before(async () => {
    simulator = await startSimulator(SECRETS, 'send-ticks');
    await launchApp({ seed: true, secrets: appSecretsFor(SECRETS), name: 'send-ticks' });
    await expect(conversationList()).toBeDisplayed({ wait: 30_000 });
  });

  after(async () => {
    await simulator?.stop();
  });

  it('sends a quoted reply and shows it delivered, then read', async () => {
    // Mariana writes again through Meta: this opens her 24-hour window on Meta's side too
    // (the seed's history exists only in the app).
    const question = 'Pode colocar velas de aniversário?';
    const { wamid } = await simulator.inbound({ from: MARIANA, name: 'Mariana Souza', message: { type: 'text', body: question } });
    await option('Mariana Souza').click();
    await expect(thread()).toBeDisplayed();
    const lastCustomerMessage = messageWith(question);
    await expect(lastCustomerMessage).toBeDisplayed({ wait: 10_000 });
    await expect(lastCustomerMessage).toHaveAttribute('data-direction', 'in');
    await lastCustomerMessage.moveTo();
    await lastCustomerMessage.$('button=Reply').click();
    await expect($('[data-testid="reply-preview"]')).toHaveElementProperty('textContent', expect.stringContaining(question));

    const answer = 'Claro! Vão junto com o bolo.';
    await messageBox().setValue(answer);
    await browser.keys('Enter');

    const request = (
      await simulator.waitForSent((m) => m.message_type === 'text' && m.to === MARIANA)
    ).request as { text?: { body?: string }; context?: { message_id?: string } };
    expect(request.text?.body).toBe(answer);
    expect(request.context?.message_id).toBe(wamid);

    const sent = messageWith(answer);
    await expect(sent).toBeDisplayed({ wait: 15_000 });
    await expect(sent).toHaveAttribute('data-direction', 'out');
    await expect(sent.$('[data-testid="quoted-reply"]')).toHaveElementProperty('textContent', expect.stringContaining(question));
    await expect(sent).toHaveAttribute('data-status', 'read', { wait: 15_000 });
    await expect(sent.$('[data-testid="message-error"]')).not.toBeExisting();
    await saveScreenshot('send ticks', 'reply read');
  });
});

