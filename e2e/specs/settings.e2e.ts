// The settings screen drives the running app: with "mark conversations as read" off,
// opening an unread conversation sends Meta no read receipt; turned back on, it does.
// The simulator's inspection API shows what the app really sent. A picture limit lowered
// in the Media section refuses the next photo a customer sends, without a restart.
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';
import { gradientPng } from '../helpers/files.js';
import { saveScreenshot } from '../helpers/screenshots.js';
import { appSecretsFor, startSimulator, type Simulator } from '../helpers/simulator.js';

const SECRETS = { appSecret: 'e2e-app-secret-settings-3c8a', accessToken: 'e2e-access-token-settings-77d1' };

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');
/** The message bubble whose text contains `text`. */
const messageWith = (text: string) => thread().$(`.//*[@data-testid="message"][contains(., "${text}")]`);
const settingsDialog = () => $('//*[@role="dialog"][.//h2[normalize-space()="Settings"]]');
const mediaSection = () => settingsDialog().$('section[aria-label="Media"]');
const markReadSwitch = () => settingsDialog().$('button[role="switch"]*=Mark conversations as read');

async function setMarkReadOnOpen(on: boolean) {
  await $('button[aria-label="Settings"]').click();
  await expect(settingsDialog()).toBeDisplayed();
  const toggle = markReadSwitch();
  await expect(toggle).toBeDisplayed({ wait: 10_000 });
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', String(on), { wait: 10_000 });
  await expect(settingsDialog().$('[role="status"]')).toHaveText('Saved', { wait: 10_000 });
}

describe('settings', () => {
  let simulator: Simulator;

  before(async () => {
    simulator = await startSimulator(SECRETS, 'settings');
    await launchApp({ seed: true, secrets: appSecretsFor(SECRETS), name: 'settings' });
    await expect(conversationList()).toBeDisplayed({ wait: 30_000 });
  });

  after(async () => {
    await simulator?.stop();
  });

  it('with "mark as read on open" off, opening an unread conversation sends no read receipt; on, it sends one', async () => {
    await setMarkReadOnOpen(false);
    await browser.pause(500);
    await saveScreenshot('settings', 'mark as read off');
    await browser.keys('Escape');
    await expect(settingsDialog()).not.toBeExisting();

    const quiet = await simulator.inbound({ from: '447700900111', name: 'Hannah Cole', message: { type: 'text', body: 'Do you deliver on Sundays?' } });
    await option('Hannah Cole').click();
    await expect(messageWith('Do you deliver on Sundays?')).toBeDisplayed({ wait: 10_000 });

    await setMarkReadOnOpen(true);
    await browser.keys('Escape');
    // The dialog's overlay would take the click while it closes.
    await expect(settingsDialog()).not.toBeExisting();
    const heard = await simulator.inbound({ from: '447700900222', name: 'Omar Haddad', message: { type: 'text', body: 'Is the shop open today?' } });
    await option('Omar Haddad').click();
    await expect(messageWith('Is the shop open today?')).toBeDisplayed({ wait: 10_000 });

    // The receipt for the second conversation proves receipts go out; the first, opened
    // earlier while the setting was off, never got one.
    await browser.waitUntil(async () => (await simulator.readReceipts()).some((r) => r.message_id === heard.wamid), {
      timeout: 15_000,
      timeoutMsg: 'no read receipt for the conversation opened with the setting on',
    });
    const receipts = await simulator.readReceipts();
    expect(receipts.filter((r) => r.message_id === quiet.wamid)).toEqual([]);
    expect(receipts.filter((r) => r.message_id === heard.wamid && !r.typing_indicator)).toHaveLength(1);
  });

  it('a picture limit lowered in the Media section refuses the next photo a customer sends; Restore brings back Meta\'s', async () => {
    await $('button[aria-label="Settings"]').click();
    await expect(settingsDialog()).toBeDisplayed();
    const pictures = mediaSection().$('input[id="media-limit-image"]');
    await pictures.scrollIntoView();
    await expect(pictures).toHaveValue('5', { wait: 10_000 });
    await pictures.setValue('0.001');
    await mediaSection().$('button=Save limits').click();
    await expect(settingsDialog().$('[role="status"]')).toHaveText('Saved', { wait: 10_000 });
    await expect(pictures).toHaveValue('0.001');
    // The webview paints a moment after the DOM settles.
    await browser.pause(500);
    await saveScreenshot('settings', 'media limits');
    await browser.keys('Escape');
    await expect(settingsDialog()).not.toBeExisting();

    // About 3 KB of PNG: over the new 1 KB limit, far under Meta's 5 MB.
    const png = gradientPng(400, 260, [40, 160, 90], [230, 120, 40]);
    await simulator.inbound({
      from: '447700900333',
      name: 'Iris Novak',
      media: { kind: 'image', mime_type: 'image/png', data_base64: png.toString('base64'), caption: 'Here is the photo of the stain' },
    });
    await expect(option('Iris Novak')).toBeDisplayed({ wait: 10_000 });
    await option('Iris Novak').click();
    await expect(option('Iris Novak')).toHaveAttribute('aria-selected', 'true', { wait: 10_000 });
    const bubble = messageWith('Here is the photo of the stain');
    await expect(bubble).toBeDisplayed({ wait: 20_000 });
    await expect(bubble.$('button=Retry download')).toBeDisplayed({ wait: 20_000 });
    await expect(bubble).toHaveElementProperty('textContent', expect.stringContaining('more than the 1049 bytes allowed'));
    await expect(bubble.$('img[alt="Photo"]')).not.toBeExisting();
    await saveScreenshot('settings', 'photo over the limit');

    await $('button[aria-label="Settings"]').click();
    await mediaSection().$('button=Restore Meta’s limits').click();
    await expect(mediaSection().$('input[id="media-limit-image"]')).toHaveValue('5', { wait: 10_000 });
  });
});
