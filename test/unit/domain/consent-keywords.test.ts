import {
  ConsentIntent,
  interpretConsentKeywords,
  PlainLanguagePolicy,
} from '../../../functions/domain/consent-keywords';

const flag = { plainLanguage: PlainLanguagePolicy.FLAG } as const;
const optOut = { plainLanguage: PlainLanguagePolicy.OPT_OUT } as const;

describe('Function: interpretConsentKeywords', () => {
  it.each([
    ['STOP', 'STOP'],
    ['stop', 'STOP'],
    ['  Stop. ', 'STOP'],
    ['STOP!', 'STOP'],
    ['STOPALL', 'STOPALL'],
    ['stop all', 'STOPALL'],
    ['Unsubscribe', 'UNSUBSCRIBE'],
    ['cancel', 'CANCEL'],
    ['END', 'END'],
    ['quit', 'QUIT'],
  ])('reads %j as an opt-out keyword', (text, keyword) => {
    expect(interpretConsentKeywords(text, flag)).toEqual({
      intent: ConsentIntent.OPT_OUT,
      matched: keyword,
      matchedBy: 'keyword',
    });
  });

  it.each([
    ['ARRET', 'fr-CA', ConsentIntent.OPT_OUT],
    ['Arrêt', 'fr', ConsentIntent.OPT_OUT],
    ['arrêt', undefined, ConsentIntent.OPT_OUT],
    ['ARRET', 'en-US', ConsentIntent.NONE],
    ['AIDE', 'fr-FR', ConsentIntent.HELP],
    ['AIDE', 'en', ConsentIntent.NONE],
  ])('reads the French %j from a customer with locale %j as %s', (text, locale, intent) => {
    expect(interpretConsentKeywords(text, { ...flag, ...(locale ? { locale } : {}) }).intent).toBe(intent);
  });

  it.each([
    ['START', ConsentIntent.OPT_IN],
    ['unstop', ConsentIntent.OPT_IN],
    ['Yes', ConsentIntent.OPT_IN],
    ['HELP', ConsentIntent.HELP],
    ['info', ConsentIntent.HELP],
  ])('reads %j as %s', (text, intent) => {
    expect(interpretConsentKeywords(text, flag).intent).toBe(intent);
  });

  it.each([
    ['please stop texting me', 'stop-contacting'],
    ['Please STOP sending me these', 'stop-contacting'],
    ['no more texts thanks', 'no-more-messages'],
    ["don't text me again", 'do-not-contact'],
    ['Do not message me', 'do-not-contact'],
    ['remove me from your list', 'remove-me'],
    ['I want to unsubscribe', 'unsubscribe-me'],
    ['how do I opt out?', 'unsubscribe-me'],
    ["Arrêtez de m'envoyer des messages", 'fr-stop'],
    ['je veux me désabonner', 'fr-unsubscribe'],
  ])('reads the plain-language %j as an opt-out when configured so', (text, rule) => {
    expect(interpretConsentKeywords(text, optOut)).toEqual({
      intent: ConsentIntent.OPT_OUT,
      matched: rule,
      matchedBy: 'phrase',
    });
  });

  it('flags a plain-language request for review when configured so', () => {
    expect(interpretConsentKeywords('please stop texting me', flag)).toEqual({
      intent: ConsentIntent.REVIEW,
      matched: 'stop-contacting',
      matchedBy: 'phrase',
    });
  });

  it.each([
    ['Stop by the store on Tuesday?'],
    ["Don't stop texting me, I love the deals"],
    ['STOP IT, that was funny'],
    ['Yes, see you then'],
    ['The end of the week works'],
    ['Can I cancel my order?'],
    [''],
    ['🙂'],
  ])('reads %j as nothing for consent', (text) => {
    expect(interpretConsentKeywords(text, optOut).intent).toBe(ConsentIntent.NONE);
  });
});
