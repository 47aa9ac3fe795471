// Quick replies from end to end: saved in the manager, found with "/" in the composer,
// filled with the customer's name, and received by the simulator as typed.
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';
import { saveScreenshot } from '../helpers/screenshots.js';
import { appSecretsFor, startSimulator, type Simulator } from '../helpers/simulator.js';

const SECRETS = { appSecret: 'e2e-app-secret-quick-9b41', accessToken: 'e2e-access-token-quick-2e6f' };
const CUSTOMER = '447700900333';

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');
/** The message bubble whose text contains `text`. */
const messageWith = (text: string) => thread().$(`.//*[@data-testid="message"][contains(., "${text}")]`);
const messageBox = () => $('textarea[aria-label="Message"]');
const manager = () => $('//*[@role="dialog"][.//h2[normalize-space()="Quick replies"]]');
const picker = () => $('[role="listbox"][aria-label="Quick replies"]');

describe('quick replies', () => {
  let simulator: Simulator;

  before(async () => {
    simulator = await startSimulator(SECRETS, 'quick-replies');
    await launchApp({ seed: true, secrets: appSecretsFor(SECRETS), name: 'quick-replies' });
    await expect(conversationList()).toBeDisplayed({ wait: 30_000 });
  });

  after(async () => {
    await simulator?.stop();
  });

  it('is created in the manager, chosen with / in a chat, filled with the name and sent', async () => {
    await $('button[aria-label="Quick replies"]').click();
    await expect(manager()).toBeDisplayed();
    await manager().$('button=New quick reply').click();
    const form = manager().$('form[aria-label="New quick reply"]');
    await form.$('input').setValue('hours');
    await form.$('textarea').setValue('Hi {{first_name}}, we are open 9 am to 6 pm, Monday to Saturday.');
    await form.$('button=Save').click();
    await expect(manager().$('[data-testid="quick-reply"]')).toHaveText(expect.stringContaining('/hours'), { wait: 10_000 });
    // WebKit may hand out an older frame; hovering the new row and a pause make it paint.
    await manager().$('[data-testid="quick-reply"]').moveTo();
    await browser.pause(500);
    await saveScreenshot('quick replies', 'manager');
    await manager().$('button[aria-label="Close"]').click();
    await expect(manager()).not.toBeExisting();

    await simulator.inbound({ from: CUSTOMER, name: 'Priya Raman', message: { type: 'text', body: 'When are you open?' } });
    await option('Priya Raman').click();
    await expect(messageWith('When are you open?')).toBeDisplayed({ wait: 10_000 });

    await messageBox().setValue('/hou');
    await expect(picker()).toBeDisplayed({ wait: 10_000 });
    await expect(picker().$('[role="option"][aria-selected="true"]')).toHaveText(expect.stringContaining('/hours'));
    await expect(messageBox()).toHaveValue('/hou');
    await browser.pause(500);
    await saveScreenshot('quick replies', 'picker');
    await browser.keys('Enter');
    const filled = 'Hi Priya, we are open 9 am to 6 pm, Monday to Saturday.';
    await expect(messageBox()).toHaveValue(filled, { wait: 10_000 });
    await expect(picker()).not.toBeExisting();
    await browser.keys('Enter');

    const sent = await simulator.waitForSent((m) => m.message_type === 'text' && m.to === CUSTOMER);
    expect((sent.request as { text?: { body?: string } }).text?.body).toBe(filled);
    await expect(messageWith(filled)).toBeDisplayed({ wait: 15_000 });
  });
});
