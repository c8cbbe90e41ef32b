import { marshall } from '@aws-sdk/util-dynamodb';
import { ledgerStreamMessagesPatterns, matchesFilterPattern } from '../../../infra/ledger-stream-filter';

const patterns = ledgerStreamMessagesPatterns(['Order Completed']);

/** A Lambda stream record of the messages table. */
const aRecord = (eventName: string, newImage?: Record<string, unknown>) => ({
  eventName,
  dynamodb: { ...(newImage ? { NewImage: marshall(newImage) } : {}), SequenceNumber: '1' },
});

describe('Function: matchesFilterPattern (the ledger stream filter, as locally applied)', () => {
  it.each([
    ['an attempt change', aRecord('MODIFY', { kind: 'attempt', status: 'delivered' })],
    ['a new inbound message', aRecord('INSERT', { kind: 'inbound' })],
    ['a new message', aRecord('INSERT', { kind: 'message' })],
    ['a new conversion touchpoint', aRecord('INSERT', { kind: 'touchpoint', name: 'Order Completed' })],
  ])('lets through %s', (_, record) => {
    expect(patterns.some((pattern) => matchesFilterPattern(pattern, record))).toBe(true);
  });

  it.each([
    ['another touchpoint', aRecord('INSERT', { kind: 'touchpoint', name: 'Product Viewed' })],
    ['a modified message', aRecord('MODIFY', { kind: 'message' })],
    ['a conversion item', aRecord('INSERT', { kind: 'conversion', name: 'Order Completed' })],
    ['an aggregate', aRecord('MODIFY', { kind: 'attribution-aggregate' })],
    ['a removal', aRecord('REMOVE')],
  ])('drops %s', (_, record) => {
    expect(patterns.some((pattern) => matchesFilterPattern(pattern, record))).toBe(false);
  });
});

describe('Function: matchesFilterPattern (prefix and exists rules)', () => {
  const record = { dynamodb: { NewImage: { pk: { S: 'customer#camille' }, kind: { S: 'touchpoint' } } } };

  it.each([
    ['a prefix the value starts with', { pk: { S: [{ prefix: 'customer#' }] } }, true],
    ['a prefix the value does not start with', { pk: { S: [{ prefix: 'anonymous#' }] } }, false],
    ['exists on a present field', { kind: { S: [{ exists: true }] } }, true],
    ['exists on an absent field', { name: { S: [{ exists: true }] } }, false],
    ['exists false on an absent field', { name: { S: [{ exists: false }] } }, true],
    ['exists false on a present field', { kind: { S: [{ exists: false }] } }, false],
    [
      'exists under an absent parent',
      { metadata: { M: { journeyRunId: { S: [{ exists: true }] } } } },
      false,
    ],
    ['a value or a prefix, one of which holds', { kind: { S: ['attempt', { prefix: 'touch' }] } }, true],
  ])('answers %s', (_, newImage, expected) => {
    // Act
    const matched = matchesFilterPattern({ dynamodb: { NewImage: newImage } }, record);

    // Assess
    expect(matched).toBe(expected);
  });

  it('refuses a rule it does not implement rather than guess', () => {
    // Act
    const match = () =>
      matchesFilterPattern({ dynamodb: { NewImage: { kind: { S: [{ suffix: 'x' }] } } } }, record);

    // Assess
    expect(match).toThrow('unsupported filter rule');
  });
});
