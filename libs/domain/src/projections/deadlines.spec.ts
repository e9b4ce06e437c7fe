import { accepted, granted, invited, registered, related } from '../testing/decider-spec';
import { deadlinesOf } from '../testing/projection-spec';

describe('customer deadlines (what the scheduler records)', () => {
  it('lists active license terms, grants in force and pending invitations, and nothing ended', () => {
    const due = deadlinesOf([registered(),
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'm365', kind: 'license', channel: 'advisor', partnerOfRecordId: null, termEndsAt: '2026-09-01T00:00:00.000Z', commerce: 'legacy' } },
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'azure', kind: 'usage', channel: 'ea', partnerOfRecordId: null, termEndsAt: null, commerce: 'legacy' } },
      ...related('direct'), granted('g-1', 'direct'), granted('g-2', 'direct'),
      { type: 'DelegatedAdminRevoked', data: { customerId: 'contoso', grantId: 'g-2', partnerId: 'direct' } },
      { type: 'InvitationCreated', data: { customerId: 'contoso', invitationId: 'inv-9', partnerId: 'direct-2', resellerId: null, delegatedAdmin: null, expiresAt: '2026-05-30T12:00:00.000Z' } },
    ]);
    expect(due).toEqual([
      { customerId: 'contoso', kind: 'license-term-end', refId: 'm365', dueAt: '2026-09-01T00:00:00.000Z' },
      { customerId: 'contoso', kind: 'grant-expiry', refId: 'g-1', dueAt: '2026-06-01T00:00:00.000Z' },
      { customerId: 'contoso', kind: 'invitation-expiry', refId: 'inv-9', dueAt: '2026-05-30T12:00:00.000Z' },
    ]);
  });

  it('starts a license’s new term at a switch, and drops what ended otherwise', () => {
    const due = deadlinesOf([registered(),
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'm365', kind: 'license', channel: 'advisor', partnerOfRecordId: null, termEndsAt: '2026-09-01T00:00:00.000Z', commerce: 'legacy' } },
      { type: 'LicenseTermEnded', data: { customerId: 'contoso', subscriptionId: 'm365', termEndedAt: '2026-09-01T00:00:00.000Z' } },
      { type: 'SubscriptionSwitched', data: { customerId: 'contoso', subscriptionId: 'm365', fromChannel: 'advisor', fromPartnerId: null, toPartnerId: 'direct', termEndsAt: '2027-09-01T00:00:00.000Z' } },
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'o365', kind: 'license', channel: 'advisor', partnerOfRecordId: null, termEndsAt: '2026-10-01T00:00:00.000Z', commerce: 'legacy' } },
      { type: 'SubscriptionCancelled', data: { customerId: 'contoso', subscriptionId: 'o365' } },
      invited('inv-1', 'direct'), accepted('inv-1', 'direct'),
    ]);
    expect(due).toEqual([{ customerId: 'contoso', kind: 'license-term-end', refId: 'm365', dueAt: '2027-09-01T00:00:00.000Z' }]);
  });
});
