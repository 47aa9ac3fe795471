// The first journey: the owner opens the app on an existing history (the development
// seed: a bakery with four customers), sees the conversations, opens one and reads it.
import { $, expect } from '@wdio/globals';
import type { ChainablePromiseArray } from 'webdriverio';
import { launchApp } from '../helpers/app.js';
import { saveScreenshot } from '../helpers/screenshots.js';

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');

/** The element at `index` of a list, failing the spec clearly when it is missing. */
async function nth(elements: ChainablePromiseArray, index: number): Promise<WebdriverIO.Element> {
  const all = await elements.getElements();
  const element = all[index];
  if (!element) throw new Error(`expected an element at position ${index}, found ${all.length}`);
  return element;
}

describe('inbox', () => {
  before(async () => {
    await launchApp({ seed: true, name: 'inbox' });
  });

  it('lists the seeded conversations, the pinned one first with its unread count', async () => {
    const list = conversationList();
    await expect(list).toBeDisplayed({ wait: 30_000 });
    const options = list.$$('[role="option"]');
    await expect(options).toBeElementsArrayOfSize(4);
    const first = await nth(options, 0);
    // textContent rather than the rendered text: the name cell truncates with an ellipsis.
    await expect(first).toHaveElementProperty('textContent', expect.stringContaining('Mariana Souza'));
    await expect(first.$('[aria-label="Pinned"]')).toBeExisting();
    await expect(first.$('[aria-label="3 unread messages"]')).toBeExisting();
    await expect(option('Kerry Fisher')).toBeDisplayed();
    await expect(option('أحمد الهاشمي')).toBeDisplayed();
    await expect(option('أحمد الهاشمي').$('[aria-label="Muted"]')).toBeExisting();
    await saveScreenshot('inbox', 'conversation list');
  });

  it('opens a conversation, shows its messages in order and marks it read', async () => {
    const mariana = option('Mariana Souza');
    await mariana.click();
    await expect(mariana).toHaveAttribute('aria-selected', 'true');
    const log = thread();
    await expect(log).toBeDisplayed();
    const messages = log.$$('[data-testid="message"]');
    await expect(messages).toBeElementsArrayOfSize(5);
    await expect(await nth(messages, 0)).toHaveText(expect.stringContaining('bolo de cenoura'));
    await expect(await nth(messages, 4)).toHaveText(expect.stringContaining('Perfeito, pode reservar!'));
    const reply = await nth(messages, 1);
    await expect(reply).toHaveAttribute('data-direction', 'out');
    await expect(reply).toHaveText(expect.stringContaining('❤️'));
    // Opening the conversation reads it: the unread badge goes away.
    await expect(mariana.$('[aria-label="3 unread messages"]')).not.toBeExisting({ wait: 10_000 });
    await saveScreenshot('inbox', 'conversation open');
  });

  it('shows why a message failed', async () => {
    const kerry = option('Kerry Fisher');
    await kerry.click();
    const failed = thread().$('[data-testid="message"][data-status="failed"]');
    await expect(failed).toBeDisplayed();
    await expect(failed).toHaveText(expect.stringContaining('Great, see you tomorrow!'));
    await expect(failed).toHaveText(expect.stringContaining('Re-engagement message'));
  });
});
