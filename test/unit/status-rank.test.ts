import type { MessageStatus } from '../../functions/contract';
import { canMoveTo, summariseStatus } from '../../functions/domain/status-rank';

describe('Function: canMoveTo', () => {
  it.each<[MessageStatus | undefined, MessageStatus, boolean]>([
    [undefined, 'queued', true],
    ['queued', 'sent', true],
    ['sent', 'delivered', true],
    ['delivered', 'read', true],
    ['delivered', 'opened', true],
    ['opened', 'clicked', true],
    ['delivered', 'sent', false],
    ['read', 'delivered', false],
    ['sent', 'sent', false],
    ['opened', 'read', false],
    ['sent', 'undelivered', true],
    ['undelivered', 'delivered', false],
    ['failed', 'bounced', false],
    ['queued', 'scheduled', false],
    ['rejected', 'queued', false],
  ])('from %s to %s is %s', (current, next, expected) => {
    // Act and assess
    expect(canMoveTo(current, next)).toBe(expected);
  });
});

describe('Function: summariseStatus', () => {
  it.each<[MessageStatus, MessageStatus[], MessageStatus]>([
    ['queued', [], 'queued'],
    ['undeliverable', [], 'undeliverable'],
    ['queued', ['delivered', 'sent'], 'delivered'],
    ['queued', ['failed', 'sent'], 'sent'],
    ['queued', ['failed', 'bounced'], 'failed'],
  ])('shows %s with attempts %j as %s', (router, attempts, expected) => {
    // Act and assess
    expect(summariseStatus(router, attempts)).toBe(expected);
  });
});
