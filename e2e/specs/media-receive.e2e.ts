// A customer sends a photo and a PDF: the webhook names media ids, the app downloads the
// bytes from the simulator (Graph API media URL, with its token) and shows them. Then the
// owner sends a photo back: picked in the real file dialog, previewed, uploaded to the
// simulator and sent by its media id, and its ticks move with the simulator's statuses.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';
import { runDir } from '../helpers/env.js';
import { chooseInFileDialog } from '../helpers/file-dialog.js';
import { gradientPng, onePagePdf } from '../helpers/files.js';
import { saveDesktopScreenshot, saveScreenshot } from '../helpers/screenshots.js';
import { appSecretsFor, startSimulator, type Simulator, type Upload } from '../helpers/simulator.js';

const SECRETS = { appSecret: 'e2e-app-secret-media-73aa', accessToken: 'e2e-access-token-media-c05e' };
const CUSTOMER = { from: '447700900123', name: 'Olivia Bennett' };

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');
/** The message bubble whose text contains `text`. */
const messageWith = (text: string) => thread().$(`.//*[@data-testid="message"][contains(., "${text}")]`);

/** Waits until an `<img>` has loaded and decoded its picture. */
async function waitForPicture(image: ReturnType<typeof $>, what: string): Promise<void> {
  await browser.waitUntil(async () => ((await image.getProperty('naturalWidth')) as number) > 0, {
    timeout: 10_000,
    timeoutMsg: `${what} did not load`,
  });
}

describe('media between a customer and the owner', () => {
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

  it('the owner sends a photo back: picked in the file dialog, previewed, uploaded, sent by id, delivered', async () => {
    // A real file on disk, as the owner's own photo would be.
    const photoPath = path.join(runDir(), 'owner-files', 'fresh-cake.png');
    fs.mkdirSync(path.dirname(photoPath), { recursive: true });
    const photo = gradientPng(480, 360, [250, 200, 60], [200, 60, 120]);
    fs.writeFileSync(photoPath, photo);

    // The window alone cannot have the app read a file, even a real one: only a file the
    // owner chose in the app's dialog or dropped on the window may be staged or sent.
    const refusal = await browser.execute(async (file: string) => {
      const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (cmd: string, args: object) => Promise<unknown> } })
        .__TAURI_INTERNALS__;
      return internals.invoke('stage_media', { path: file }).then(
        () => null,
        (error: unknown) => error as { code: string; message: string },
      );
    }, photoPath);
    expect(refusal).toEqual({
      code: 'invalidInput',
      message: 'fresh-cake.png was not chosen in this window: choose the file again with Attach or drop it on the window',
    });

    // The attach button has the app open the system's GTK file dialog, which WebDriver cannot
    // reach: it is driven with the virtual display's keyboard (xdotool), so the path reaches
    // the app through the production route (pick_files → stage_media → send_media) and the
    // test needs no hook inside the app.
    await $('button[aria-label="Attach a file"]').click();
    await chooseInFileDialog(photoPath, { beforeConfirm: () => saveDesktopScreenshot('media send', 'file dialog') });

    const panel = $('section[aria-label="Files to send"]');
    await expect(panel).toBeDisplayed({ wait: 10_000 });
    const preview = panel.$('img[alt="Preview of fresh-cake.png"]');
    await expect(preview).toBeDisplayed({ wait: 10_000 });
    await expect(preview).toHaveAttribute('src', expect.stringMatching(/^chatsphere-media:\/\/localhost\/preview\/[0-9a-f]{64}$/));
    await waitForPicture(preview, 'the preview of the picked photo');
    await expect(panel.$('[data-testid="attachment"]')).toHaveElementProperty('textContent', expect.stringContaining('image/png'));
    const caption = 'Fresh from the oven, with candles';
    const captionBox = panel.$('input[aria-label="Caption for fresh-cake.png"]');
    await captionBox.setValue(caption);
    await expect(captionBox).toHaveValue(caption);
    await saveScreenshot('media send', 'attach preview');

    await panel.$('button=Send file').click();
    await expect(panel).not.toBeExisting({ wait: 10_000 });

    const sha256 = createHash('sha256').update(photo).digest('hex');
    let upload: Upload | undefined;
    await browser.waitUntil(
      async () => {
        upload = (await simulator.uploads()).find((u) => u.sha256_hex === sha256);
        return upload !== undefined;
      },
      { timeout: 15_000, timeoutMsg: 'the photo was not uploaded to the simulator' },
    );
    expect(upload?.mime_type).toBe('image/png');
    expect(upload?.size_bytes).toBe(photo.length);
    const sent = await simulator.waitForSent((m) => m.message_type === 'image' && m.to === CUSTOMER.from);
    const image = (sent.request as { image?: { id?: string; caption?: string; link?: string } }).image;
    expect(image?.id).toBe(upload?.id); // sent by the uploaded media id
    expect(image?.link).toBeUndefined(); // not by a link
    expect(image?.caption).toBe(caption);

    const bubble = messageWith(caption);
    await expect(bubble).toBeDisplayed({ wait: 10_000 });
    await expect(bubble).toHaveAttribute('data-direction', 'out');
    const thumbnail = bubble.$('img[alt="Photo"]');
    await expect(thumbnail).toBeDisplayed({ wait: 10_000 });
    await expect(thumbnail).toHaveAttribute('src', expect.stringMatching(/^chatsphere-media:\/\/localhost\/thumb\/[0-9a-f]{64}$/));
    await waitForPicture(thumbnail, 'the sent photo');
    // The simulator's status webhooks move the ticks: sent, then delivered (then read).
    await browser.waitUntil(async () => ['delivered', 'read'].includes((await bubble.getAttribute('data-status')) ?? ''), {
      timeout: 20_000,
      timeoutMsg: 'the sent photo never showed as delivered',
    });
    await expect(bubble.$('[data-testid="message-error"]')).not.toBeExisting();
    await saveScreenshot('media send', 'sent photo');
  });

  it('previews a document as a typed card and says why a file would be refused, before anything is sent', async () => {
    const folder = path.join(runDir(), 'owner-files');
    const menuPath = path.join(folder, 'easter-menu.pdf');
    fs.writeFileSync(menuPath, onePagePdf('Easter menu'));
    const gifPath = path.join(folder, 'dancing-cake.gif');
    fs.writeFileSync(gifPath, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    const sentBefore = (await simulator.sent()).length;

    for (const file of [menuPath, gifPath]) {
      await $('button[aria-label="Attach a file"]').click();
      await chooseInFileDialog(file);
    }

    const panel = $('section[aria-label="Files to send"]');
    const menu = panel.$('li[aria-label="easter-menu.pdf"]');
    await expect(menu).toBeDisplayed({ wait: 10_000 });
    await expect(menu).toHaveAttribute('data-kind', 'document');
    await expect(menu.$('[data-testid="attachment-icon"]')).toBeDisplayed();
    await expect(menu).toHaveElementProperty('textContent', expect.stringContaining('application/pdf'));
    const gif = panel.$('li[aria-label="dancing-cake.gif"]');
    await expect(gif.$('[role="alert"]')).toHaveText(expect.stringContaining('WhatsApp cannot send this type of file'), { wait: 10_000 });
    await expect(panel.$('button=Send 2 files')).toBeDisabled();
    await saveScreenshot('media send', 'attach refused file');

    await gif.$('button[aria-label="Remove dancing-cake.gif"]').click();
    await expect(gif).not.toBeExisting();
    await expect(panel.$('button=Send file')).toBeEnabled();
    await panel.$('button=Cancel').click();
    await expect(panel).not.toBeExisting();
    expect((await simulator.sent()).length).toBe(sentBefore);
  });
});
