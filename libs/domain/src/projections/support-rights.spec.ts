import { granted, registered, related } from '../testing/decider-spec';
import { customerViewOf } from '../testing/projection-spec';
import type { CustomerEvent } from '../customer/customer.events';
import type { CustomerView } from './customer-view';
import { checkRight, customerLinks, supportRights } from './support-rights';

const NOW = '2026-04-01T00:00:00.000Z';
const view = (events: CustomerEvent[]): CustomerView => {
  const built = customerViewOf(events);
  if (!built) throw new Error('not registered');
  return built;
};
const rightsOf = (v: CustomerView, partnerId: string, now = NOW) =>
  supportRights(v, now).find((p) => p.partnerId === partnerId)?.rights.map((r) => r.right) ?? [];

describe('support rights', () => {
  const story = view([registered(), ...related('provider', 'reseller'), granted('g-1', 'reseller', '2026-06-01T00:00:00.000Z', ['Helpdesk Administrator'])]);

  it('gives the owner of an active relationship transact, provision and support (MC-05)', () => {
    expect(rightsOf(story, 'provider')).toEqual(['transact', 'provision', 'support']);
    const transact = supportRights(story, NOW).find((p) => p.partnerId === 'provider')?.rights[0];
    expect(transact).toEqual({ right: 'transact', until: null,
      reasons: [{ rule: 'MC-05', eventIds: ['e3'], detail: 'owns reseller relationship rel-provider' }] });
  });

  it('gives a linked reseller with delegated admin provision, support and administer, with roles and end', () => {
    expect(rightsOf(story, 'reseller')).toEqual(['provision', 'support', 'administer']);
    const administer = supportRights(story, NOW).find((p) => p.partnerId === 'reseller')?.rights.find((r) => r.right === 'administer');
    expect(administer).toMatchObject({ until: '2026-06-01T00:00:00.000Z', roles: ['Helpdesk Administrator'],
      reasons: [{ rule: 'MC-07', eventIds: ['e4'] }] });
  });

  it('gives a linked reseller without delegated admin support only', () => {
    expect(rightsOf(view([registered(), ...related('provider', 'reseller')]), 'reseller')).toEqual(['support']);
  });

  it('gives a grant past its end nothing, even before its expiry is recorded (MC-15)', () => {
    expect(rightsOf(story, 'reseller', '2026-06-01T00:00:00.000Z')).toEqual(['support']);
  });

  it('gives a revoked grant nothing', () => {
    const revoked = view([registered(), ...related('direct'), granted('g-1', 'direct-2'),
      { type: 'DelegatedAdminRevoked', data: { customerId: 'contoso', grantId: 'g-1', partnerId: 'direct-2' } }]);
    expect(rightsOf(revoked, 'direct-2')).toEqual([]);
  });

  it('gives a recorded expired grant nothing', () => {
    const expired = view([registered(), granted('g-1', 'direct-2'),
      { type: 'DelegatedAdminExpired', data: { customerId: 'contoso', grantId: 'g-1', partnerId: 'direct-2' } }]);
    expect(rightsOf(expired, 'direct-2')).toEqual([]);
  });

  it('gives the owner and the reseller of a terminated relationship nothing (MC-15)', () => {
    const terminated = view([registered(), ...related('provider', 'reseller'),
      { type: 'RelationshipTerminated', data: { customerId: 'contoso', relationshipId: 'rel-provider', partnerId: 'provider' } }]);
    expect(supportRights(terminated, NOW)).toEqual([]);
  });

  it('keeps the partner of record’s rights apart from ownership of a switched subscription', () => {
    const switched = view([registered(), ...related('direct'), ...related('direct-2'),
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'azure', kind: 'usage', channel: 'csp', partnerOfRecordId: 'direct', termEndsAt: null, commerce: 'legacy' } },
      { type: 'SubscriptionSwitched', data: { customerId: 'contoso', subscriptionId: 'azure', fromChannel: 'csp', fromPartnerId: 'direct', toPartnerId: 'direct-2', termEndsAt: null } }]);
    expect(switched.subscriptions.azure.partnerOfRecordId).toBe('direct-2');
    expect(rightsOf(switched, 'direct')).toEqual(['transact', 'provision', 'support']);
  });
});

describe('checking a right', () => {
  const story = view([registered(), ...related('provider', 'reseller')]);

  it('allows with the reasons', () => {
    expect(checkRight(story, 'provider', 'transact', NOW)).toEqual({
      partnerId: 'provider', right: 'transact', allowed: true,
      reasons: [{ rule: 'MC-05', eventIds: ['e3'], detail: 'owns reseller relationship rel-provider' }],
    });
  });

  it('refuses a linked reseller transact, saying it is only linked (MC-05)', () => {
    const check = checkRight(story, 'reseller', 'transact', NOW);
    expect(check.allowed).toBe(false);
    expect(check.reasons).toEqual([expect.objectContaining({ rule: 'MC-05', eventIds: ['e3'] })]);
    expect(check.reasons[0].detail).toMatch(/only linked/);
  });

  it('refuses administer without a grant (MC-07)', () => {
    expect(checkRight(story, 'provider', 'administer', NOW)).toMatchObject({ allowed: false, reasons: [{ rule: 'MC-07' }] });
  });

  it('names the ended grant and its end when it refuses (MC-15)', () => {
    const ended = view([registered(), ...related('direct'), granted('g-1', 'direct', '2026-03-20T00:00:00.000Z')]);
    const check = checkRight(ended, 'direct', 'administer', NOW);
    expect(check.allowed).toBe(false);
    expect(check.reasons[0]).toMatchObject({ rule: 'MC-15', eventIds: ['e4'] });
    expect(check.reasons[0].detail).toMatch(/ended at 2026-03-20/);
  });

  it('names the termination when it refuses after a relationship ended (MC-15)', () => {
    const terminated = view([registered(), ...related('direct'),
      { type: 'RelationshipTerminated', data: { customerId: 'contoso', relationshipId: 'rel-direct', partnerId: 'direct' } }]);
    expect(checkRight(terminated, 'direct', 'transact', NOW).reasons[0]).toMatchObject({ rule: 'MC-15', eventIds: ['e3', 'e4'] });
  });
});

describe('customer links (the per-partner index)', () => {
  it('lists owners, linked resellers and grants of active relationships and grants only', () => {
    const v = view([registered(), ...related('provider', 'reseller'), ...related('direct'), granted('g-1', 'reseller'),
      { type: 'RelationshipTerminated', data: { customerId: 'contoso', relationshipId: 'rel-direct', partnerId: 'direct' } }]);
    expect(customerLinks(v)).toEqual([
      { customerId: 'contoso', partnerId: 'provider', role: 'owner', refId: 'rel-provider', ownerId: 'provider', endsAt: null, roles: null },
      { customerId: 'contoso', partnerId: 'reseller', role: 'linked-reseller', refId: 'rel-provider', ownerId: 'provider', endsAt: null, roles: null },
      { customerId: 'contoso', partnerId: 'reseller', role: 'delegated-admin', refId: 'g-1', ownerId: null, endsAt: '2026-06-01T00:00:00.000Z', roles: ['Helpdesk Administrator'] },
    ]);
  });
});

describe('support rights from GDAP', () => {
  const ENDS = '2026-12-01T00:00:00.000Z';
  const gdap = (partnerId: string, roles = ['Helpdesk Administrator', 'User Administrator']): CustomerEvent[] => [
    { type: 'GdapRelationshipRequested', data: {
      customerId: 'contoso', gdapId: `gdap-${partnerId}`, partnerId, roles, durationDays: 270, autoExtend: false, requestExpiresAt: '2026-06-01T00:00:00.000Z' } },
    { type: 'GdapRelationshipApproved', data: { customerId: 'contoso', gdapId: `gdap-${partnerId}`, partnerId, endsAt: ENDS } },
  ];
  const access = (partnerId: string, assignmentId: string, securityGroupId: string, roles: string[]): CustomerEvent => ({
    type: 'GdapAccessAssigned', data: { customerId: 'contoso', gdapId: `gdap-${partnerId}`, partnerId, assignmentId, securityGroupId, roles },
  });

  it('MC-19 gives administer, provision and support from active access assignments, with their roles, until the relationship ends', () => {
    const v = view([registered(), ...gdap('direct'), access('direct', 'a-1', 'agents', ['Helpdesk Administrator']),
      access('direct', 'a-2', 'admins', ['User Administrator'])]);
    expect(rightsOf(v, 'direct')).toEqual(['provision', 'support', 'administer']);
    const administer = supportRights(v, NOW)[0].rights.find((r) => r.right === 'administer');
    expect(administer).toMatchObject({ until: ENDS, roles: ['Helpdesk Administrator', 'User Administrator'],
      reasons: [{ rule: 'MC-19', eventIds: ['e3', 'e4', 'e5'] }] });
    expect(customerLinks(v)).toContainEqual({ customerId: 'contoso', partnerId: 'direct', role: 'gdap-access', refId: 'gdap-direct',
      ownerId: null, endsAt: ENDS, roles: ['Helpdesk Administrator', 'User Administrator'] });
  });

  it('MC-19 gives nothing for an approved relationship without assignments, and says why', () => {
    const check = checkRight(view([registered(), ...gdap('direct')]), 'direct', 'administer', NOW);
    expect(check.allowed).toBe(false);
    expect(check.reasons.map((r) => r.rule)).toContain('MC-19');
  });

  it('MC-18 gives nothing once the relationship is terminated', () => {
    const v = view([registered(), ...gdap('direct'), access('direct', 'a-1', 'agents', ['Helpdesk Administrator']),
      { type: 'GdapRelationshipTerminated', data: { customerId: 'contoso', gdapId: 'gdap-direct', partnerId: 'direct', requestedBy: 'customer' } }]);
    expect(rightsOf(v, 'direct')).toEqual([]);
    expect(checkRight(v, 'direct', 'administer', NOW).reasons.map((r) => r.rule)).toContain('MC-18');
    expect(customerLinks(v).filter((l) => l.role === 'gdap-access')).toEqual([]);
  });

  it('MC-21 gives a linked reseller none of its provider’s GDAP', () => {
    const v = view([registered(), ...related('provider', 'reseller'), ...gdap('provider'), access('provider', 'a-1', 'agents', ['Helpdesk Administrator'])]);
    expect(rightsOf(v, 'provider')).toContain('administer');
    expect(rightsOf(v, 'reseller')).toEqual(['support']);
    expect(checkRight(v, 'reseller', 'administer', NOW).reasons.map((r) => r.rule)).toContain('MC-21');
  });
});
