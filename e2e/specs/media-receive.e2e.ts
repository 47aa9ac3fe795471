// A customer sends a photo and a PDF: the webhook names media ids, the app downloads the
// bytes from the simulator (Graph API media URL, with its token) and shows them.
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';
import { gradientPng, onePagePdf } from '../helpers/files.js';
import { saveScreenshot } from '../helpers/screenshots.js';
import { appSecretsFor, startSimulator, type Simulator } from '../helpers/simulator.js';

const SECRETS = { appSecret: 'e2e-app-secret-media-73aa', accessToken: 'e2e-access-token-media-c05e' };
const CUSTOMER = { from: '447700900123', name: 'Olivia Bennett' };

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');
/** The message bubble whose text contains `text`. */
const messageWith = (text: string) => thread().$(`.//*[@data-testid="message"][contains(., "${text}")]`);

describe('receiving media', () => {
  let simulator: Simulator;

  before(async () => {
    await launchApp({ seed: true, secrets: appSecretsFor(SECRETS), name: 'media-receive' });
    await expect(conversationList()).toBeDisplayed({ wait: 30_000 });
    simulator = await startSimulator(SECRETS, 'media-receive');
  });

  after(async () => {
    await simulator?.stop();
  });

  it('shows a photo a customer sends as its thumbnail', async () => {
    // Larger than the thumbnails' longest side (320 px), so the app scales it down.
    const png = gradientPng(400, 260, [220, 40, 60], [30, 90, 220]);
    await simulator.inbound({
      ...CUSTOMER,
      media: { kind: 'image', mime_type: 'image/png', data_base64: png.toString('base64'), caption: 'Is this cake still available?' },
    });
    await option(CUSTOMER.name).click();
    await expect(thread()).toBeDisplayed();
    const bubble = messageWith('Is this cake still available?');
    await expect(bubble).toBeDisplayed({ wait: 10_000 });
    await expect(bubble).toHaveAttribute('data-direction', 'in');
    const image = bubble.$('img[alt="Photo"]');
    await expect(image).toBeDisplayed({ wait: 20_000 });
    await expect(image).toHaveAttribute('src', expect.stringMatching(/^chatsphere-media:\/\/localhost\/thumb\/[0-9a-f]{64}$/));
    // Loaded and decoded from the app's media protocol, not a broken image.
    await browser.waitUntil(async () => ((await image.getProperty('naturalWidth')) as number) > 0, {
      timeout: 10_000,
      timeoutMsg: 'the thumbnail did not load',
    });
    expect(await image.getProperty('naturalWidth')).toBe(320);
    expect(await image.getProperty('naturalHeight')).toBe(208);
    await saveScreenshot('media receive', 'photo');
  });

  it('shows a PDF a customer sends as a document card with its file name', async () => {
    const pdf = onePagePdf('Menu - Christmas 2026');
    await simulator.inbound({
      ...CUSTOMER,
      media: { kind: 'document', mime_type: 'application/pdf', data_base64: pdf.toString('base64'), filename: 'christmas-menu.pdf' },
    });
    const card = thread().$('.//*[@data-testid="message"]//*[@data-testid="media-card"][contains(., "christmas-menu.pdf")]');
    await expect(card).toBeDisplayed({ wait: 10_000 });
    // textContent rather than the rendered text: the card's lines truncate with an ellipsis.
    await expect(card).toHaveElementProperty('textContent', expect.stringContaining('application/pdf'));
    // Downloaded: the card offers the stored file's actions.
    await expect(card.$('button=Open')).toBeDisplayed({ wait: 20_000 });
    await expect(card.$('button=Save as…')).toBeExisting();
    await saveScreenshot('media receive', 'document');
  });
});
