// Sending to Meta over real HTTP: the app's Graph API base URL is the simulator's, so a send
// travels to it, and the simulator's status webhooks (sent → delivered → read)
// come back to the app's webhook server and move the bubble's ticks.
import { $, browser, expect } from '@wdio/globals';
import { launchApp } from '../helpers/app.js';
import { saveScreenshot } from '../helpers/screenshots.js';
import { appSecretsFor, startSimulator, type Simulator } from '../helpers/simulator.js';

const SECRETS = { appSecret: 'e2e-app-secret-send-9d2e', accessToken: 'e2e-access-token-send-41b7' };
const MARIANA = '5511987654321';
const KERRY = '16505551234';

const conversationList = () => $('[role="listbox"][aria-label="Conversations"]');
const option = (name: string) => conversationList().$(`[role="option"]*=${name}`);
const thread = () => $('[role="log"][aria-label="Messages"]');
const messageBox = () => $('textarea[aria-label="Message"]');
/** The message bubble whose text contains `text`. */
const messageWith = (text: string) => thread().$(`.//*[@data-testid="message"][contains(., "${text}")]`);
const templateForm = () => $('form[aria-label="Fill in table_booking_confirmed"]');
/** The template form's text field labelled `label`. */
const templateField = (label: string) => templateForm().$(`.//label[span[normalize-space()="${label}"]]/input`);

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
    // The simulator's statuses carry Meta's pricing: a reply in the window is a billable service message.
    await expect(sent.$('[data-testid="message-cost"]')).toHaveText('Service · billable');
    await saveScreenshot('send ticks', 'reply read');
  });

  it('imports the templates and sends one with an image header outside the 24-hour window', async () => {
    await option('Kerry Fisher').click();
    await expect($('[data-testid="service-window"][data-open="false"]')).toBeDisplayed();
    await expect(messageBox()).not.toBeExisting();
    const picker = $('[data-testid="template-picker"]');
    await picker.$('button=Refresh from WhatsApp').click();
    const select = picker.$('select[aria-label="Template"]');
    await expect(select.$('option=table_booking_confirmed (en_US)')).toBeExisting({ wait: 15_000 });
    await select.selectByVisibleText('table_booking_confirmed (en_US)');

    const form = templateForm();
    await expect(form).toBeDisplayed();
    const image = 'https://cdn.example/bookings/table-12.jpg';
    await form.$('input[type="url"]').setValue(image);
    await templateField('Guest name').setValue('Kerry');
    await templateField('Party size').setValue('6');
    await templateField('Date').setValue('Friday 4 December');
    await templateField('Time').setValue('8:00 pm');
    await expect(form.$('[data-testid="template-preview"]')).toHaveElementProperty(
      'textContent',
      expect.stringContaining('Hi Kerry, your table for 6 on Friday 4 December at 8:00 pm is confirmed.'),
    );
    await saveScreenshot('send ticks', 'template form');
    await form.$('button=Send template').click();

    const sent = await simulator.waitForSent((m) => m.message_type === 'template' && m.to === KERRY);
    const template = (sent.request as { template: { name: string; language: { code: string }; components: Component[] } }).template;
    expect(template.name).toBe('table_booking_confirmed');
    expect(template.language.code).toBe('en_US');
    const header = template.components.find((c) => c.type === 'header');
    expect(header?.parameters).toEqual([{ type: 'image', image: { link: image } }]);
    const body = template.components.find((c) => c.type === 'body');
    expect(body?.parameters).toHaveLength(4);
    expect(body?.parameters).toEqual(
      expect.arrayContaining([
        { type: 'text', parameter_name: 'guest_name', text: 'Kerry' },
        { type: 'text', parameter_name: 'party_size', text: '6' },
        { type: 'text', parameter_name: 'date', text: 'Friday 4 December' },
        { type: 'text', parameter_name: 'time', text: '8:00 pm' },
      ]),
    );

    const bubble = messageWith('your table for 6 on Friday 4 December');
    await expect(bubble).toBeDisplayed({ wait: 15_000 });
    await expect(bubble).toHaveAttribute('data-direction', 'out');
    await expect(bubble.$('[data-testid="template-message"]')).toBeDisplayed();
    await expect(bubble).toHaveAttribute('data-status', 'read', { wait: 15_000 });
    await saveScreenshot('send ticks', 'template sent');
  });
});

interface Component {
  type: string;
  parameters?: unknown[];
}
