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
