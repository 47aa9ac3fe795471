// Sending from the composer on the development seed. No access token is in the test
// keychain, so a send fails, and the failure must say why and offer to send again.
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');
const messageBox = () => $('textarea[aria-label="Message"]');
/** The message bubble whose text contains `text`. */
const messageWith = (text: string) => thread().$(`.//*[@data-testid="message"][contains(., "${text}")]`);

describe('sending', () => {
  before(async () => {
    await launchApp({ seed: true, name: 'sending' });
  });

  it('quotes a message, sends the reply with Enter and shows why it failed', async () => {
    await option('Mariana Souza').click();
    await expect(thread()).toBeDisplayed();
    await expect($('[data-testid="service-window"][data-open="true"]')).toHaveText(
      expect.stringContaining('left to reply freely'),
    );
    const lastCustomerMessage = messageWith('Perfeito, pode reservar!');
    await expect(lastCustomerMessage).toHaveAttribute('data-direction', 'in');
    await lastCustomerMessage.moveTo();
    await lastCustomerMessage.$('button=Reply').click();
    // textContent rather than the rendered text: the quoted line truncates with an ellipsis.
    await expect($('[data-testid="reply-preview"]')).toHaveElementProperty(
      'textContent',
      expect.stringContaining('Perfeito, pode reservar!'),
    );

    await messageBox().setValue('Reservado! Até amanhã.');
    await browser.keys('Enter');
    const sent = messageWith('Reservado! Até amanhã.');
    await expect(sent).toBeDisplayed({ wait: 15_000 });
    await expect(sent).toHaveAttribute('data-direction', 'out');
    await expect(sent.$('[data-testid="quoted-reply"]')).toHaveElementProperty(
      'textContent',
      expect.stringContaining('Perfeito, pode reservar!'),
    );
    await expect($('[data-testid="reply-preview"]')).not.toBeExisting();
    await expect(sent).toHaveAttribute('data-status', 'failed', { wait: 15_000 });
    await expect(sent.$('[data-testid="message-error"]')).toHaveText(
      expect.stringContaining('WhatsApp is not connected yet: this computer has no WhatsApp access token'),
    );
    await expect(sent.$('button=Send again')).toBeExisting();
  });

  it('offers only templates more than 24 hours after the customer last wrote', async () => {
    await option('Kerry Fisher').click();
    const indicator = $('[data-testid="service-window"][data-open="false"]');
    await expect(indicator).toHaveText(
      expect.stringContaining("More than 24 hours since the customer's last message — send a template instead."),
    );
    await expect(messageBox()).not.toBeExisting();
    await expect($('[data-testid="template-picker"] select[aria-label="Template"]')).toBeDisplayed();
  });
});
