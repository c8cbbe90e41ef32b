import {
  chooseWhatsAppForm,
  isWhatsAppWindowOpen,
  isWhatsAppWindowOpenUntil,
  WHATSAPP_WINDOW_SAFETY_MARGIN_MS,
  WhatsAppForm,
  whatsappWindowEnd,
} from '../../../functions/domain/whatsapp-window';

const now = new Date('2026-03-02T12:00:00.000Z');
const closingIn = (ms: number): string => new Date(now.getTime() + ms).toISOString();
const template = { contentSid: `HX${'a'.repeat(32)}`, variables: { '1': 'Ada' } };

describe('Function: whatsappWindowEnd', () => {
  it('closes the window 24 hours after the inbound message', () => {
    // Act
    const end = whatsappWindowEnd('2026-03-02T12:00:00.000Z');

    // Assess
    expect(end).toBe('2026-03-03T12:00:00.000Z');
  });
});

describe('Function: isWhatsAppWindowOpenUntil', () => {
  it.each([
    ['never opened', undefined, false],
    ['closed an hour ago', closingIn(-3_600_000), false],
    ['closing exactly now', closingIn(0), false],
    ['closing within the margin', closingIn(WHATSAPP_WINDOW_SAFETY_MARGIN_MS - 1), false],
    ['closing exactly at the margin', closingIn(WHATSAPP_WINDOW_SAFETY_MARGIN_MS), false],
    ['closing just past the margin', closingIn(WHATSAPP_WINDOW_SAFETY_MARGIN_MS + 1), true],
    ['closing in an hour', closingIn(3_600_000), true],
    ['an unreadable time', 'not a time', false],
  ])('answers %s with %s', (_name, until, open) => {
    // Act
    const answer = isWhatsAppWindowOpenUntil(until, now);

    // Assess
    expect(answer).toBe(open);
  });

  it('uses a margin of one minute', () => {
    // Assess
    expect(WHATSAPP_WINDOW_SAFETY_MARGIN_MS).toBe(60_000);
  });
});

describe('Function: isWhatsAppWindowOpen', () => {
  it('applies the same margin to a customer’s channel state', () => {
    // Prepare
    const closing = { invalidAddresses: {}, whatsappWindowUntil: closingIn(30_000) };
    const open = { invalidAddresses: {}, whatsappWindowUntil: closingIn(3_600_000) };

    // Act
    const answers = [isWhatsAppWindowOpen(closing, now), isWhatsAppWindowOpen(open, now)];

    // Assess
    expect(answers).toEqual([false, true]);
  });
});

describe('Function: chooseWhatsAppForm', () => {
  it.each([
    [
      'freeform when the window is open and there is text',
      { text: 'Hi' },
      closingIn(3_600_000),
      WhatsAppForm.FREEFORM,
    ],
    [
      'freeform when open and both forms are carried',
      { text: 'Hi', whatsappTemplate: template },
      closingIn(3_600_000),
      WhatsAppForm.FREEFORM,
    ],
    [
      'the template when the window closed while queued',
      { text: 'Hi', whatsappTemplate: template },
      closingIn(-1),
      WhatsAppForm.TEMPLATE,
    ],
    [
      'the template inside the margin',
      { text: 'Hi', whatsappTemplate: template },
      closingIn(30_000),
      WhatsAppForm.TEMPLATE,
    ],
    [
      'the template when open but there is no text',
      { whatsappTemplate: template },
      closingIn(3_600_000),
      WhatsAppForm.TEMPLATE,
    ],
    ['nothing for freeform-only content outside the window', { text: 'Hi' }, closingIn(-1), undefined],
    ['nothing for empty content', {}, closingIn(3_600_000), undefined],
  ])('chooses %s', (_name, content, until, form) => {
    // Act
    const chosen = chooseWhatsAppForm(content, until, now);

    // Assess
    expect(chosen).toBe(form);
  });
});
