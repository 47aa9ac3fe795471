// The first journey: the owner opens the app on an existing history, sees the
// conversations, opens one and reads it.
import { $, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const thread = () => $('[role="log"][aria-label="Messages"]');

describe('inbox', () => {
  before(async () => {
    await launchApp({ seed: true, name: 'inbox' });
  });

  it('lists the seeded conversations', async () => {
    const list = conversationList();
    await expect(list).toBeDisplayed({ wait: 30_000 });
    const options = list.$$('[role="option"]');
    await expect(options).toBeElementsArrayOfSize({ gte: 1 });
    for (const option of await options.getElements()) {
      await expect(option).toBeDisplayed();
      await expect(option).not.toHaveText('', { message: 'a conversation shows its contact' });
    }
  });

  it('opens a conversation and shows its messages', async () => {
    const options = await conversationList().$$('[role="option"]').getElements();
    const opened: string[] = [];
    // Open up to two conversations, to see that the thread follows the selection.
    for (const option of options.slice(0, 2)) {
      await option.click();
      await expect(option).toHaveAttribute('aria-selected', 'true');
      const log = thread();
      await expect(log).toBeDisplayed();
      const messages = log.$$('[data-testid="message"]');
      await expect(messages).toBeElementsArrayOfSize({ gte: 1 });
      for (const message of await messages.getElements()) {
        await expect(message).not.toHaveText('', { message: 'a message shows its content' });
      }
      opened.push(await log.getText());
    }
    if (opened.length === 2) {
      expect(opened[1]).not.toEqual(opened[0]);
    }
  });
});
