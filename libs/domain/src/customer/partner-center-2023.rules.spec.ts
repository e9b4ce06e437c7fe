import {
  command, customer, givenCustomer, granted, NOW, operator, partner, registered, related, subscription, systemActor,
} from '../testing/decider-spec';
import { addDays } from '../shared/time';
import { POLICY_VERSIONS, policyVersionAt } from '../shared/policy';
import type { CustomerEvent } from './customer.events';

const HELPDESK = 'Helpdesk Administrator';
const USERS = 'User Administrator';
const GLOBAL_ADMIN = 'Global Administrator';
const BEFORE_GDAP = '2023-01-10T00:00:00.000Z';
const TERM_END = '2026-09-01T00:00:00.000Z';

function requested(gdapId: string, partnerId: string, roles = [HELPDESK, USERS], autoExtend = false, durationDays = 365): CustomerEvent {
  return {
    type: 'GdapRelationshipRequested',
    data: { customerId: 'contoso', gdapId, partnerId, roles, durationDays, autoExtend, requestExpiresAt: addDays(NOW, 90) },
  };
}

function approved(gdapId: string, partnerId: string, endsAt = addDays(NOW, 365)): CustomerEvent {
  return { type: 'GdapRelationshipApproved', data: { customerId: 'contoso', gdapId, partnerId, endsAt } };
}

function assigned(gdapId: string, partnerId: string, assignmentId = 'a-1', securityGroupId = 'helpdesk-agents', roles = [HELPDESK]): CustomerEvent {
  return { type: 'GdapAccessAssigned', data: { customerId: 'contoso', gdapId, partnerId, assignmentId, securityGroupId, roles } };
}

function transferRequested(transferId: string, sourcePartnerId: string, targetPartnerId: string, subscriptionIds: string[]): CustomerEvent {
  return {
    type: 'TransferRequested',
    data: { customerId: 'contoso', transferId, sourcePartnerId, targetPartnerId, subscriptionIds, expiresAt: addDays(NOW, 30) },
  };
}

const nceLicense = (id: string, partnerId: string) => subscription(id, 'license', 'csp', partnerId, TERM_END, 'new-commerce');
const legacyLicense = (id: string, partnerId: string) => subscription(id, 'license', 'csp', partnerId, TERM_END, 'legacy');
const azurePlan = (id: string, partnerId: string) => subscription(id, 'usage', 'csp', partnerId, null, 'new-commerce');

describe('policies by effective date', () => {
  it('puts the seeds’ rules in force before 2023-05-22 and GDAP and transfers from that day', () => {
    expect(policyVersionAt('2019-06-01T00:00:00.000Z').version).toBe('multichannel-2019');
    expect(policyVersionAt('2023-05-21T23:59:59.999Z').version).toBe('multichannel-2019');
    expect(policyVersionAt('2023-05-22T00:00:00.000Z').version).toBe('gdap-2023');
    expect(policyVersionAt(NOW).version).toBe('gdap-2023');
  });

  it('lists versions oldest first, each keeping every rule of the one before', () => {
    for (let i = 1; i < POLICY_VERSIONS.length; i += 1) {
      expect(Date.parse(POLICY_VERSIONS[i].effectiveFrom)).toBeGreaterThan(Date.parse(POLICY_VERSIONS[i - 1].effectiveFrom));
      expect(POLICY_VERSIONS[i].rules).toEqual(expect.arrayContaining([...POLICY_VERSIONS[i - 1].rules]));
    }
  });

  it('decides the same transfer request by its date: refused under multichannel-2019, accepted under gdap-2023', () => {
    const history = [registered(), ...related('direct'), ...related('direct-2'), nceLicense('m365', 'direct')];
    const request = (now: string) => command('RequestTransfer',
      { transferId: 't-1', sourcePartnerId: 'direct', targetPartnerId: 'direct-2', subscriptionIds: ['m365'] }, partner('direct-2'), now);
    const refusal = givenCustomer(history).when(request(BEFORE_GDAP)).thenRefused('NOT_IN_POLICY');
    expect(refusal.message).toContain('multichannel-2019');
    givenCustomer(history).when(request(NOW)).then([transferRequested('t-1', 'direct', 'direct-2', ['m365'])]);
  });

  it('refuses a GDAP request dated before GDAP was in force', () => {
    givenCustomer([registered()])
      .when(command('RequestGdapRelationship', { gdapId: 'g', partnerId: 'direct', roles: [HELPDESK], durationDays: 30, autoExtend: false },
        partner('direct'), BEFORE_GDAP))
      .thenRefused('NOT_IN_POLICY');
  });
});

describe('MC-16: a CSP partner requests a GDAP relationship with roles, for 1 day to 2 years', () => {
  const request = (data: Partial<{ partnerId: string; roles: string[]; durationDays: number; autoExtend: boolean }>, actor = partner(data.partnerId ?? 'direct')) =>
    command('RequestGdapRelationship', { gdapId: 'g-1', partnerId: 'direct', roles: [HELPDESK, USERS], durationDays: 365, autoExtend: false, ...data }, actor);

  it('MC-16 allows a direct-bill partner to request roles for a year; the request waits 90 days for the customer', () => {
    givenCustomer([registered()]).when(request({})).then([requested('g-1', 'direct')]);
  });

  it('MC-16 allows an indirect reseller to request its own GDAP relationship', () => {
    givenCustomer([registered()]).when(request({ partnerId: 'reseller' })).then([requested('g-1', 'reseller')]);
  });

  it('MC-16 allows auto-extend without Global Administrator', () => {
    givenCustomer([registered()]).when(request({ autoExtend: true })).then([requested('g-1', 'direct', [HELPDESK, USERS], true)]);
  });

  it('MC-16 rejects auto-extend on a request that includes Global Administrator', () => {
    givenCustomer([registered()]).when(request({ roles: [GLOBAL_ADMIN], autoExtend: true })).thenRefused('MC-16');
  });

  it.each([0, 731, 1.5])('MC-16 rejects a duration of %s days', (durationDays) => {
    givenCustomer([registered()]).when(request({ durationDays })).thenRefused('MC-16');
  });

  it('MC-16 rejects a request without roles', () => {
    givenCustomer([registered()]).when(request({ roles: [] })).thenRefused('MC-16');
  });

  it('MC-16 rejects a request sent in another partner’s name', () => {
    givenCustomer([registered()]).when(request({}, partner('direct-2'))).thenRefused('MC-16');
  });

  it('MC-16 rejects a request from an Advisor partner', () => {
    givenCustomer([registered()]).when(request({ partnerId: 'advisor' })).thenRefused('MC-16');
  });

  it('MC-01 rejects a request across clouds', () => {
    givenCustomer([registered()]).when(request({ partnerId: 'direct-de' })).thenRefused('MC-01');
  });
});

describe('MC-17: only the customer approves a pending GDAP request, all its roles at once, within 90 days', () => {
  it('MC-17 allows the customer to approve: active from now for the requested duration', () => {
    givenCustomer([registered(), requested('g-1', 'direct')])
      .when(command('ApproveGdapRelationship', { gdapId: 'g-1' }, customer('contoso')))
      .then([approved('g-1', 'direct')]);
  });

  it('MC-17 rejects an approval by the partner', () => {
    givenCustomer([registered(), requested('g-1', 'direct')])
      .when(command('ApproveGdapRelationship', { gdapId: 'g-1' }, partner('direct')))
      .thenRefused('MC-17');
  });

  it('MC-17 rejects an approval after the request’s 90 days', () => {
    givenCustomer([registered(), requested('g-1', 'direct')])
      .when(command('ApproveGdapRelationship', { gdapId: 'g-1' }, customer('contoso'), addDays(NOW, 90)))
      .thenRefused('MC-17');
  });

  it('MC-17 rejects a second approval', () => {
    givenCustomer([registered(), requested('g-1', 'direct'), approved('g-1', 'direct')])
      .when(command('ApproveGdapRelationship', { gdapId: 'g-1' }, customer('contoso')))
      .thenRefused('MC-17');
  });

  it('MC-17 lets the scheduler record the expiry of a request left pending 90 days, not earlier', () => {
    const history = [registered(), requested('g-1', 'direct')];
    givenCustomer(history).when(command('ExpireGdapRequest', { gdapId: 'g-1' }, systemActor, addDays(NOW, 90)))
      .then([{ type: 'GdapRequestExpired', data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct' } }]);
    givenCustomer(history).when(command('ExpireGdapRequest', { gdapId: 'g-1' }, systemActor, addDays(NOW, 89))).thenRefused('MC-17');
  });
});

describe('MC-18: a GDAP relationship ends by expiry or termination by either side; auto-extend adds 180 days', () => {
  const active = (autoExtend: boolean, roles = [HELPDESK, USERS]) => [registered(), requested('g-1', 'direct', roles, autoExtend), approved('g-1', 'direct')];
  const atEnd = addDays(NOW, 365);

  it('MC-18 extends a relationship with auto-extend by 180 days at its end', () => {
    givenCustomer(active(true)).when(command('EndGdapTerm', { gdapId: 'g-1' }, systemActor, atEnd))
      .then([{ type: 'GdapRelationshipExtended', data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct', endsAt: addDays(atEnd, 180) } }]);
  });

  it('MC-18 records the expiry of a relationship without auto-extend at its end, not before', () => {
    givenCustomer(active(false)).when(command('EndGdapTerm', { gdapId: 'g-1' }, systemActor, atEnd))
      .then([{ type: 'GdapRelationshipExpired', data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct' } }]);
    givenCustomer(active(false)).when(command('EndGdapTerm', { gdapId: 'g-1' }, systemActor, addDays(NOW, 364))).thenRefused('MC-18');
  });

  it.each([['customer', customer('contoso')], ['partner', partner('direct')]] as const)('MC-18 allows the %s to terminate it', (side, actor) => {
    givenCustomer(active(false)).when(command('TerminateGdapRelationship', { gdapId: 'g-1' }, actor))
      .then([{ type: 'GdapRelationshipTerminated', data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct', requestedBy: side } }]);
  });

  it('MC-18 rejects terminating a relationship that ended', () => {
    givenCustomer([...active(false), { type: 'GdapRelationshipExpired', data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct' } }])
      .when(command('TerminateGdapRelationship', { gdapId: 'g-1' }, customer('contoso')))
      .thenRefused('MC-18');
  });

  it('MC-18 lets the customer turn auto-extend on', () => {
    givenCustomer(active(false)).when(command('SetGdapAutoExtend', { gdapId: 'g-1', autoExtend: true }, customer('contoso')))
      .then([{ type: 'GdapAutoExtendChanged', data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct', autoExtend: true } }]);
  });

  it('MC-18 rejects turning auto-extend on for a relationship with Global Administrator', () => {
    givenCustomer(active(false, [GLOBAL_ADMIN])).when(command('SetGdapAutoExtend', { gdapId: 'g-1', autoExtend: true }, partner('direct')))
      .thenRefused('MC-18');
  });
});

describe('MC-19: the relationship’s partner assigns access to its security groups, each a subset of the roles', () => {
  const active = [registered(), requested('g-1', 'direct'), approved('g-1', 'direct')];
  const assign = (roles: string[], actor = partner('direct'), securityGroupId = 'helpdesk-agents') =>
    command('AssignGdapAccess', { gdapId: 'g-1', assignmentId: 'a-1', securityGroupId, roles }, actor);

  it('MC-19 allows the partner to give a security group some of the roles', () => {
    givenCustomer(active).when(assign([HELPDESK])).then([assigned('g-1', 'direct')]);
  });

  it('MC-19 rejects a role the relationship does not hold', () => {
    givenCustomer(active).when(assign([HELPDESK, GLOBAL_ADMIN])).thenRefused('MC-19');
  });

  it('MC-19 rejects a second assignment for the same security group', () => {
    givenCustomer([...active, assigned('g-1', 'direct', 'a-0')]).when(assign([USERS])).thenRefused('MC-19');
  });

  it('MC-19 rejects an assignment before the customer approved', () => {
    givenCustomer([registered(), requested('g-1', 'direct')]).when(assign([HELPDESK])).thenRefused('MC-19');
  });

  it('MC-19 rejects an assignment by another partner', () => {
    givenCustomer(active).when(assign([HELPDESK], partner('direct-2'))).thenRefused('MC-19');
  });

  it('MC-19 lets the partner remove an assignment, once', () => {
    const removal = command('RemoveGdapAccess', { gdapId: 'g-1', assignmentId: 'a-1' }, partner('direct'));
    const removed: CustomerEvent = { type: 'GdapAccessRemoved', data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct', assignmentId: 'a-1' } };
    givenCustomer([...active, assigned('g-1', 'direct')]).when(removal).then([removed]);
    givenCustomer([...active, assigned('g-1', 'direct'), removed]).when(removal).thenRefused('MC-19');
  });
});

describe('MC-20: every GDAP relationship records its origin', () => {
  const establish = (origin: 'microsoft-led' | 'default-roles', actor = operator) =>
    command('EstablishGdapRelationship', { gdapId: 'g-1', partnerId: 'direct', roles: [HELPDESK], durationDays: 730, origin }, actor);
  const established = (origin: 'microsoft-led' | 'default-roles'): CustomerEvent => ({
    type: 'GdapRelationshipEstablished',
    data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct', roles: [HELPDESK], origin, endsAt: addDays(NOW, 730) },
  });

  it('MC-20 records a Microsoft-led relationship for a partner whose delegated admin grant is in force', () => {
    givenCustomer([registered(), ...related('direct'), granted('dap', 'direct')]).when(establish('microsoft-led')).then([established('microsoft-led')]);
  });

  it('MC-20 rejects a Microsoft-led relationship for a partner without delegated admin', () => {
    givenCustomer([registered(), ...related('direct')]).when(establish('microsoft-led')).thenRefused('MC-20');
  });

  it('MC-20 records default roles for a customer of the partner, and refuses them for a stranger', () => {
    givenCustomer([registered(), ...related('direct')]).when(establish('default-roles')).then([established('default-roles')]);
    givenCustomer([registered()]).when(establish('default-roles')).thenRefused('MC-20');
  });

  it('MC-20 leaves recording them to the ledger’s operator', () => {
    givenCustomer([registered(), ...related('direct')]).when(establish('default-roles', partner('direct'))).thenRefused('ACTOR_NOT_PERMITTED');
  });
});

describe('MC-21: an indirect reseller does not inherit its provider’s GDAP', () => {
  it('MC-21 rejects a reseller assigning access in its provider’s relationship', () => {
    givenCustomer([registered(), ...related('provider', 'reseller'), requested('g-1', 'provider'), approved('g-1', 'provider')])
      .when(command('AssignGdapAccess', { gdapId: 'g-1', assignmentId: 'a-1', securityGroupId: 'reseller-agents', roles: [HELPDESK] }, partner('reseller')))
      .thenRefused('MC-21');
  });

  it('MC-21 allows the reseller to assign access in its own relationship', () => {
    givenCustomer([registered(), ...related('provider', 'reseller'), requested('g-2', 'reseller'), approved('g-2', 'reseller')])
      .when(command('AssignGdapAccess', { gdapId: 'g-2', assignmentId: 'a-1', securityGroupId: 'helpdesk-agents', roles: [HELPDESK] }, partner('reseller')))
      .then([assigned('g-2', 'reseller')]);
  });
});

describe('MC-22: the target partner requests a transfer of new commerce subscriptions', () => {
  const history = [registered(), ...related('direct'), ...related('direct-2'),
    nceLicense('m365', 'direct'), azurePlan('azure', 'direct'), legacyLicense('o365', 'direct'), subscription('legacy-azure', 'usage', 'csp', 'direct')];
  const request = (subscriptionIds: string[], actor = partner('direct-2'), targetPartnerId = 'direct-2') =>
    command('RequestTransfer', { transferId: 't-1', sourcePartnerId: 'direct', targetPartnerId, subscriptionIds }, actor);

  it('MC-22 allows the target to ask for a new commerce license in its term and an Azure plan', () => {
    givenCustomer(history).when(request(['m365', 'azure'])).then([transferRequested('t-1', 'direct', 'direct-2', ['m365', 'azure'])]);
  });

  it('MC-22 rejects a target without a relationship with the customer', () => {
    givenCustomer([registered(), ...related('direct'), nceLicense('m365', 'direct')]).when(request(['m365'])).thenRefused('MC-22');
  });

  it('MC-09 still rejects moving a legacy license in its term', () => {
    givenCustomer(history).when(request(['m365', 'o365'])).thenRefused('MC-09');
  });

  it('MC-22 rejects a legacy usage-based subscription (it moves by a switch)', () => {
    givenCustomer(history).when(request(['legacy-azure'])).thenRefused('MC-22');
  });

  it('MC-22 rejects a request sent by someone other than the target', () => {
    givenCustomer(history).when(request(['m365'], customer('contoso'))).thenRefused('MC-22');
  });

  it('MC-22 rejects a subscription of another partner, and one already in a pending transfer', () => {
    givenCustomer(history).when(command('RequestTransfer',
      { transferId: 't-1', sourcePartnerId: 'direct-2', targetPartnerId: 'direct', subscriptionIds: ['m365'] }, partner('direct'))).thenRefused('MC-22');
    givenCustomer([...history, transferRequested('t-0', 'direct', 'direct-2', ['m365'])]).when(request(['m365'])).thenRefused('MC-22');
  });

  it('MC-22 rejects an indirect reseller as the target', () => {
    givenCustomer([...history, ...related('provider', 'reseller')]).when(request(['m365'], partner('reseller'), 'reseller')).thenRefused('MC-22');
  });
});

describe('MC-23: the source approves or rejects, the target cancels; all subscriptions move or none', () => {
  const pending = [registered(), ...related('direct'), ...related('direct-2'), nceLicense('m365', 'direct'), azurePlan('azure', 'direct'),
    transferRequested('t-1', 'direct', 'direct-2', ['m365', 'azure'])];
  const ended = (type: 'TransferRejected' | 'TransferCancelled' | 'TransferExpired'): CustomerEvent[] =>
    [{ type, data: { customerId: 'contoso', transferId: 't-1', sourcePartnerId: 'direct', targetPartnerId: 'direct-2' } }];

  it('MC-23 completes the transfer when the source approves', () => {
    givenCustomer(pending).when(command('ApproveTransfer', { transferId: 't-1' }, partner('direct')))
      .then([{ type: 'TransferCompleted', data: {
        customerId: 'contoso', transferId: 't-1', sourcePartnerId: 'direct', targetPartnerId: 'direct-2', subscriptionIds: ['m365', 'azure'],
      } }]);
  });

  it('MC-23 rejects an approval by the target', () => {
    givenCustomer(pending).when(command('ApproveTransfer', { transferId: 't-1' }, partner('direct-2'))).thenRefused('MC-23');
  });

  it('MC-23 rejects an approval once a subscription of the transfer was cancelled: no partial transfers', () => {
    givenCustomer([...pending, { type: 'SubscriptionCancelled', data: { customerId: 'contoso', subscriptionId: 'azure' } }])
      .when(command('ApproveTransfer', { transferId: 't-1' }, partner('direct'))).thenRefused('MC-23');
  });

  it('MC-23 lets the source reject and the target cancel, and no one else', () => {
    givenCustomer(pending).when(command('RejectTransfer', { transferId: 't-1' }, partner('direct'))).then(ended('TransferRejected'));
    givenCustomer(pending).when(command('CancelTransfer', { transferId: 't-1' }, partner('direct-2'))).then(ended('TransferCancelled'));
    givenCustomer(pending).when(command('CancelTransfer', { transferId: 't-1' }, partner('direct'))).thenRefused('MC-23');
    givenCustomer(pending).when(command('RejectTransfer', { transferId: 't-1' }, partner('direct-2'))).thenRefused('MC-23');
  });

  it('MC-23 rejects answering a transfer that is no longer pending', () => {
    givenCustomer([...pending, ...ended('TransferCancelled')]).when(command('ApproveTransfer', { transferId: 't-1' }, partner('direct')))
      .thenRefused('MC-23');
  });

  it('MC-23 lets the scheduler record an unanswered transfer’s expiry at its time, not before', () => {
    givenCustomer(pending).when(command('ExpireTransfer', { transferId: 't-1' }, systemActor, addDays(NOW, 30))).then(ended('TransferExpired'));
    givenCustomer(pending).when(command('ExpireTransfer', { transferId: 't-1' }, systemActor, addDays(NOW, 29))).thenRefused('MC-23');
  });
});

describe('MC-24: a partner and a customer have at most one active reseller relationship', () => {
  const invite = (now = NOW) => command('CreateInvitation', { invitationId: 'inv-2', partnerId: 'direct' }, partner('direct'), now);

  it('MC-24 rejects another invitation from a partner that owns an active relationship', () => {
    givenCustomer([registered(), ...related('direct')]).when(invite()).thenRefused('MC-24');
  });

  it('MC-24 allows a new invitation once the relationship was terminated', () => {
    const terminated: CustomerEvent = { type: 'RelationshipTerminated', data: { customerId: 'contoso', relationshipId: 'rel-direct', partnerId: 'direct' } };
    givenCustomer([registered(), ...related('direct'), terminated]).when(invite()).then([{
      type: 'InvitationCreated',
      data: { customerId: 'contoso', invitationId: 'inv-2', partnerId: 'direct', resellerId: null, delegatedAdmin: null, expiresAt: addDays(NOW, 90) },
    }]);
  });

  it('MC-24 rejects accepting a second invitation of the same partner', () => {
    const second: CustomerEvent = { type: 'InvitationCreated', data: {
      customerId: 'contoso', invitationId: 'inv-2', partnerId: 'direct', resellerId: null, delegatedAdmin: null, expiresAt: addDays(NOW, 90) } };
    givenCustomer([registered(), second, ...related('direct')])
      .when(command('AcceptInvitation', { invitationId: 'inv-2' }, customer('contoso')))
      .thenRefused('MC-24');
  });

  it('MC-24 was not in force before 2023-05-22: the seeds’ rules let the second invitation through', () => {
    givenCustomer([registered(), ...related('direct')]).when(invite(BEFORE_GDAP)).then([{
      type: 'InvitationCreated',
      data: { customerId: 'contoso', invitationId: 'inv-2', partnerId: 'direct', resellerId: null, delegatedAdmin: null, expiresAt: addDays(BEFORE_GDAP, 90) },
    }]);
  });
});

describe('MC-25: the 21Vianet channel belongs to customers of the China cloud', () => {
  const record = (now = NOW) => command('RecordSubscription', { subscriptionId: 's', kind: 'usage', channel: '21vianet' }, operator, now);
  const recorded = (customerId = 'contoso'): CustomerEvent => ({
    type: 'SubscriptionRecorded',
    data: { customerId, subscriptionId: 's', kind: 'usage', channel: '21vianet', partnerOfRecordId: null, termEndsAt: null, commerce: 'legacy' },
  });

  it('MC-25 allows a 21Vianet subscription for a China customer', () => {
    givenCustomer([registered('china')]).when(record()).then([recorded()]);
  });

  it('MC-25 rejects a 21Vianet subscription for a global customer', () => {
    givenCustomer([registered('global')]).when(record()).thenRefused('MC-25');
  });

  it('MC-25 was not in force before 2023-05-22', () => {
    givenCustomer([registered('global')]).when(record(BEFORE_GDAP)).then([recorded()]);
  });
});
