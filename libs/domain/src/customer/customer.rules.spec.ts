import {
  accepted, command, customer, granted, givenCustomer, invited, NOW, operator, partner, registered, related,
  subscription, systemActor,
} from '../testing/decider-spec';
import { customerDecider } from '../deciders';
import type { CustomerEvent } from './customer.events';

const IN_90_DAYS = '2026-05-30T12:00:00.000Z';
const AFTER_TERM = '2026-09-01T00:00:00.000Z';

describe('MC-01: parties of different clouds never deal with each other', () => {
  it('MC-01 allows an invitation within the customer’s cloud', () => {
    givenCustomer([registered('germany')])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'direct-de' }, partner('direct-de')))
      .then([{
        type: 'InvitationCreated',
        data: {
          customerId: 'contoso', invitationId: 'inv-1', partnerId: 'direct-de', resellerId: null,
          delegatedAdmin: null, expiresAt: IN_90_DAYS,
        },
      }]);
  });

  it('MC-01 rejects an invitation across clouds', () => {
    givenCustomer([registered('global')])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'direct-de' }, partner('direct-de')))
      .thenRefused('MC-01');
  });

  it('MC-01 rejects a delegated admin grant across clouds', () => {
    givenCustomer([registered('global'), ...related('direct')])
      .when(command('GrantDelegatedAdmin',
        { grantId: 'g', partnerId: 'direct-cn', roles: ['Helpdesk Administrator'], endsAt: AFTER_TERM }, customer('contoso')))
      .thenRefused('MC-01');
  });

  it('MC-01 rejects a switch to a partner of another cloud', () => {
    givenCustomer([registered('global'), subscription('azure', 'usage', 'csp', 'direct'), ...related('direct')])
      .when(command('SwitchSubscription', { subscriptionId: 'azure', targetPartnerId: 'direct-de' }, customer('contoso')))
      .thenRefused('MC-01');
  });
});

describe('MC-02: only a direct-bill partner or an indirect provider creates a CSP invitation', () => {
  it.each(['direct', 'provider'])('MC-02 allows %s to invite', (inviter) => {
    givenCustomer([registered()])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: inviter }, partner(inviter)))
      .then([{
        type: 'InvitationCreated',
        data: { customerId: 'contoso', invitationId: 'inv-1', partnerId: inviter, resellerId: null, delegatedAdmin: null, expiresAt: IN_90_DAYS },
      }]);
  });

  it('MC-02 rejects an invitation from an Advisor partner', () => {
    givenCustomer([registered()])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'advisor' }, partner('advisor')))
      .thenRefused('MC-02');
  });
});

describe('MC-03: a reseller uses its provider’s invitation, routed only when authorized', () => {
  it('MC-03 allows a provider to route its invitation through a reseller it authorized', () => {
    givenCustomer([registered()])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'provider', resellerId: 'reseller' }, partner('provider')))
      .then([{
        type: 'InvitationCreated',
        data: {
          customerId: 'contoso', invitationId: 'inv-1', partnerId: 'provider', resellerId: 'reseller',
          delegatedAdmin: null, expiresAt: IN_90_DAYS,
        },
      }]);
  });

  it('MC-03 rejects a reseller’s own invitation', () => {
    givenCustomer([registered()])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'reseller' }, partner('reseller')))
      .thenRefused('MC-03');
  });

  it('MC-03 rejects a reseller creating an invitation in its provider’s name', () => {
    givenCustomer([registered()])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'provider' }, partner('reseller')))
      .thenRefused('MC-03');
  });

  it('MC-03 rejects routing through a reseller the provider has not authorized', () => {
    givenCustomer([registered()])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'provider', resellerId: 'stray-reseller' }, partner('provider')))
      .thenRefused('MC-03');
  });

  it('MC-03 rejects a direct-bill partner routing through a reseller', () => {
    givenCustomer([registered()])
      .when(command('CreateInvitation', { invitationId: 'inv-1', partnerId: 'direct', resellerId: 'reseller' }, partner('direct')))
      .thenRefused('MC-03');
  });
});

describe('MC-04: only the invited customer accepts a pending invitation, once', () => {
  const pending: CustomerEvent[] = [registered(), invited('inv-1', 'provider', 'reseller')];

  it('MC-04 allows the customer to accept a pending invitation', () => {
    givenCustomer(pending)
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso')))
      .then([accepted('inv-1', 'provider', 'reseller')]);
  });

  it('MC-04 rejects acceptance by the inviting partner', () => {
    givenCustomer(pending).when(command('AcceptInvitation', { invitationId: 'inv-1' }, partner('provider'))).thenRefused('MC-04');
  });

  it('MC-04 rejects acceptance by another customer', () => {
    givenCustomer(pending).when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('fabrikam'))).thenRefused('MC-04');
  });

  it('MC-04 rejects a second acceptance', () => {
    givenCustomer([...pending, accepted('inv-1', 'provider', 'reseller')])
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso')))
      .thenRefused('MC-04');
  });

  it('MC-04 rejects accepting a revoked invitation', () => {
    givenCustomer([...pending, { type: 'InvitationRevoked', data: { customerId: 'contoso', invitationId: 'inv-1' } }])
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso')))
      .thenRefused('MC-04');
  });

  it('MC-04 rejects accepting after 90 days even before the expiry is recorded', () => {
    givenCustomer(pending)
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso'), IN_90_DAYS))
      .thenRefused('MC-04');
  });

  it('MC-04 records an expiry once its time has come, and not before', () => {
    givenCustomer(pending)
      .when(command('ExpireInvitation', { invitationId: 'inv-1' }, systemActor, IN_90_DAYS))
      .then([{ type: 'InvitationExpired', data: { customerId: 'contoso', invitationId: 'inv-1' } }]);
    givenCustomer(pending).when(command('ExpireInvitation', { invitationId: 'inv-1' }, systemActor)).thenRefused('MC-04');
  });

  it('MC-04 rejects accepting an expired invitation', () => {
    givenCustomer([...pending, { type: 'InvitationExpired', data: { customerId: 'contoso', invitationId: 'inv-1' } }])
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso')))
      .thenRefused('MC-04');
  });
});

describe('MC-05: the inviting partner owns the relationship; a routed reseller is linked', () => {
  it('MC-05 makes the inviting provider the owner and links the routed reseller', () => {
    const state = [registered(), ...related('provider', 'reseller')].reduce(customerDecider.evolve, customerDecider.initialState());
    expect(state.status === 'registered' && state.relationships['rel-provider']).toEqual({
      relationshipId: 'rel-provider', partnerId: 'provider', resellerId: 'reseller', status: 'active',
    });
  });

  it('MC-05 lets the owner terminate the relationship', () => {
    givenCustomer([registered(), ...related('provider', 'reseller')])
      .when(command('TerminateRelationship', { relationshipId: 'rel-provider' }, partner('provider')))
      .then([{ type: 'RelationshipTerminated', data: { customerId: 'contoso', relationshipId: 'rel-provider', partnerId: 'provider' } }]);
  });

  it('MC-05 rejects the linked reseller terminating a relationship it does not own', () => {
    givenCustomer([registered(), ...related('provider', 'reseller')])
      .when(command('TerminateRelationship', { relationshipId: 'rel-provider' }, partner('reseller')))
      .thenRefused('MC-05');
  });
});

describe('MC-06: a CSP partner’s own tenant buys nothing through CSP', () => {
  it('MC-06 rejects acceptance by a partner tenant', () => {
    givenCustomer([registered('global', true), invited('inv-1', 'direct')])
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso')))
      .thenRefused('MC-06');
  });

  it('MC-06 allows acceptance by an ordinary customer tenant', () => {
    givenCustomer([registered('global', false), invited('inv-1', 'direct')])
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso')))
      .then([accepted('inv-1', 'direct')]);
  });

  it('MC-06 rejects recording a CSP subscription for a partner tenant', () => {
    givenCustomer([registered('global', true), ...related('direct')])
      .when(command('RecordSubscription', { subscriptionId: 's', kind: 'usage', channel: 'csp', partnerOfRecordId: 'direct' }, operator))
      .thenRefused('MC-06');
  });

  it('MC-06 allows a partner tenant to record a subscription bought directly from Microsoft', () => {
    givenCustomer([registered('global', true)])
      .when(command('RecordSubscription', { subscriptionId: 's', kind: 'usage', channel: 'microsoft' }, operator))
      .then([subscription('s', 'usage', 'microsoft')]);
  });
});

describe('MC-07: only the customer grants delegated admin, to an eligible CSP partner, for at most 2 years', () => {
  const grant = (partnerId: string, roles = ['Helpdesk Administrator'], endsAt = AFTER_TERM) =>
    command('GrantDelegatedAdmin', { grantId: 'g-1', partnerId, roles, endsAt }, customer('contoso'));

  it('MC-07 allows the customer to grant the relationship owner', () => {
    givenCustomer([registered(), ...related('direct')]).when(grant('direct')).then([granted('g-1', 'direct', AFTER_TERM)]);
  });

  it('MC-07 allows the customer to grant the reseller linked to the owner', () => {
    givenCustomer([registered(), ...related('provider', 'reseller')]).when(grant('reseller'))
      .then([granted('g-1', 'reseller', AFTER_TERM)]);
  });

  it('MC-07 allows, in the 21Vianet edition, a reseller the customer chooses', () => {
    givenCustomer([registered('china')]).when(grant('reseller-cn')).then([granted('g-1', 'reseller-cn', AFTER_TERM)]);
  });

  it('MC-07 rejects a grant made by the partner itself', () => {
    givenCustomer([registered(), ...related('direct')])
      .when(command('GrantDelegatedAdmin', { grantId: 'g-1', partnerId: 'direct', roles: ['x'], endsAt: AFTER_TERM }, partner('direct')))
      .thenRefused('MC-07');
  });

  it('MC-07 rejects a grant to a partner without a relationship', () => {
    givenCustomer([registered(), ...related('direct')]).when(grant('direct-2')).thenRefused('MC-07');
  });

  it('MC-07 rejects a grant to an unlinked reseller outside the 21Vianet edition', () => {
    givenCustomer([registered(), ...related('provider', 'reseller')]).when(grant('stray-reseller')).thenRefused('MC-07');
  });

  it('MC-07 rejects a grant to an Advisor partner', () => {
    givenCustomer([registered()]).when(grant('advisor')).thenRefused('MC-07');
  });

  it('MC-07 rejects a grant without roles', () => {
    givenCustomer([registered(), ...related('direct')]).when(grant('direct', [])).thenRefused('MC-07');
  });

  it('MC-07 rejects a grant longer than 2 years', () => {
    givenCustomer([registered(), ...related('direct')]).when(grant('direct', ['x'], '2028-03-02T12:00:00.000Z')).thenRefused('MC-07');
  });

  it('MC-07 allows a grant of exactly 2 years', () => {
    givenCustomer([registered(), ...related('direct')]).when(grant('direct', ['x'], '2028-02-29T12:00:00.000Z'))
      .then([granted('g-1', 'direct', '2028-02-29T12:00:00.000Z', ['x'])]);
  });

  it('MC-07 rejects a grant that ends before now', () => {
    givenCustomer([registered(), ...related('direct')]).when(grant('direct', ['x'], '2026-01-01T00:00:00.000Z')).thenRefused('MC-07');
  });

  it('MC-07 grants the delegated admin an accepted invitation asked for', () => {
    const asking: CustomerEvent = {
      type: 'InvitationCreated',
      data: {
        customerId: 'contoso', invitationId: 'inv-1', partnerId: 'direct', resellerId: null,
        delegatedAdmin: { roles: ['Global Reader'], durationDays: 365 }, expiresAt: IN_90_DAYS,
      },
    };
    givenCustomer([registered(), asking])
      .when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso')))
      .then([
        accepted('inv-1', 'direct'),
        { type: 'DelegatedAdminGranted', data: { customerId: 'contoso', grantId: 'inv-1.admin', partnerId: 'direct', roles: ['Global Reader'], endsAt: '2027-03-01T12:00:00.000Z' } },
      ]);
  });

  it('MC-07 rejects an invitation asking for delegated admin longer than 2 years', () => {
    givenCustomer([registered()])
      .when(command('CreateInvitation',
        { invitationId: 'inv-1', partnerId: 'direct', delegatedAdmin: { roles: ['x'], durationDays: 731 } }, partner('direct')))
      .thenRefused('MC-07');
  });
});

describe('MC-08: multi-partner support does not change ownership', () => {
  const owned: CustomerEvent[] = [registered(), ...related('direct'), subscription('azure', 'usage', 'csp', 'direct')];

  it('MC-08 leaves every subscription untouched when a relationship is accepted and delegated admin granted', () => {
    const before = owned.reduce(customerDecider.evolve, customerDecider.initialState());
    const after = [...related('provider', 'reseller'), granted('g-1', 'reseller')].reduce(customerDecider.evolve, before);
    expect(before.status === 'registered' && after.status === 'registered').toBe(true);
    expect(after.status === 'registered' && after.subscriptions).toEqual(before.status === 'registered' && before.subscriptions);
  });

  it('MC-08 rejects recording a subscription again to change its partner of record', () => {
    givenCustomer([...owned, ...related('provider')])
      .when(command('RecordSubscription', { subscriptionId: 'azure', kind: 'usage', channel: 'csp', partnerOfRecordId: 'provider' }, operator))
      .thenRefused('MC-08');
  });
});

describe('MC-09: a license-based subscription is not switched before its term ends', () => {
  const licensed: CustomerEvent[] = [registered(), subscription('m365', 'license', 'advisor'), ...related('provider', 'reseller')];
  const newTermEndsAt = '2027-09-01T00:00:00.000Z';

  it('MC-09 rejects switching during the term', () => {
    givenCustomer(licensed)
      .when(command('SwitchSubscription', { subscriptionId: 'm365', targetPartnerId: 'provider', newTermEndsAt }, customer('contoso')))
      .thenRefused('MC-09');
  });

  it('MC-09 allows switching once the term has ended', () => {
    const ended: CustomerEvent = { type: 'LicenseTermEnded', data: { customerId: 'contoso', subscriptionId: 'm365', termEndedAt: AFTER_TERM } };
    givenCustomer([...licensed, ended])
      .when(command('SwitchSubscription', { subscriptionId: 'm365', targetPartnerId: 'provider', newTermEndsAt }, customer('contoso'), AFTER_TERM))
      .then([{
        type: 'SubscriptionSwitched',
        data: { customerId: 'contoso', subscriptionId: 'm365', fromChannel: 'advisor', fromPartnerId: null, toPartnerId: 'provider', termEndsAt: newTermEndsAt },
      }]);
  });

  it('MC-09 allows switching at the term’s end date before the term end is recorded', () => {
    givenCustomer(licensed)
      .when(command('SwitchSubscription', { subscriptionId: 'm365', targetPartnerId: 'provider', newTermEndsAt }, partner('provider'), AFTER_TERM))
      .then([{
        type: 'SubscriptionSwitched',
        data: { customerId: 'contoso', subscriptionId: 'm365', fromChannel: 'advisor', fromPartnerId: null, toPartnerId: 'provider', termEndsAt: newTermEndsAt },
      }]);
  });
});

describe('MC-10: usage-based subscriptions from Microsoft, Advisor, Open or EA do not migrate into CSP', () => {
  it.each(['microsoft', 'advisor', 'open', 'ea'] as const)('MC-10 rejects switching a %s Azure subscription', (channel) => {
    const refusal = givenCustomer([registered(), subscription('azure', 'usage', channel), ...related('direct')])
      .when(command('SwitchSubscription', { subscriptionId: 'azure', targetPartnerId: 'direct' }, customer('contoso')))
      .thenRefused('MC-10');
    expect(refusal.message).toMatch(/create a new CSP subscription/);
  });

  it('MC-10 allows recording a new CSP subscription instead', () => {
    givenCustomer([registered(), subscription('azure', 'usage', 'ea'), ...related('direct')])
      .when(command('RecordSubscription', { subscriptionId: 'azure-csp', kind: 'usage', channel: 'csp', partnerOfRecordId: 'direct' }, partner('direct')))
      .then([subscription('azure-csp', 'usage', 'csp', 'direct')]);
  });
});

describe('MC-11: a usage-based subscription from a CSP partner is switched to another CSP partner', () => {
  it('MC-11 allows switching a CSP Azure subscription', () => {
    givenCustomer([registered(), ...related('direct'), ...related('direct-2'), subscription('azure', 'usage', 'csp', 'direct')])
      .when(command('SwitchSubscription', { subscriptionId: 'azure', targetPartnerId: 'direct-2' }, customer('contoso')))
      .then([{
        type: 'SubscriptionSwitched',
        data: { customerId: 'contoso', subscriptionId: 'azure', fromChannel: 'csp', fromPartnerId: 'direct', toPartnerId: 'direct-2', termEndsAt: null },
      }]);
  });

  it('MC-11 rejects switching a usage subscription bought from a third party', () => {
    givenCustomer([registered(), ...related('direct'), subscription('azure', 'usage', 'third-party')])
      .when(command('SwitchSubscription', { subscriptionId: 'azure', targetPartnerId: 'direct' }, customer('contoso')))
      .thenRefused('MC-11');
  });
});

describe('MC-12: a switch targets a selling partner with an accepted relationship, other than the current one', () => {
  const owned: CustomerEvent[] = [registered(), ...related('direct'), subscription('azure', 'usage', 'csp', 'direct')];
  const switchTo = (target: string) =>
    command('SwitchSubscription', { subscriptionId: 'azure', targetPartnerId: target }, customer('contoso'));

  it('MC-12 allows a switch to an indirect provider with an accepted relationship', () => {
    givenCustomer([...owned, ...related('provider', 'reseller')]).when(switchTo('provider')).then([{
      type: 'SubscriptionSwitched',
      data: { customerId: 'contoso', subscriptionId: 'azure', fromChannel: 'csp', fromPartnerId: 'direct', toPartnerId: 'provider', termEndsAt: null },
    }]);
  });

  it('MC-12 rejects a switch to an indirect reseller', () => {
    givenCustomer([...owned, ...related('provider', 'reseller')]).when(switchTo('reseller')).thenRefused('MC-12');
  });

  it('MC-12 rejects a switch to a partner without a relationship', () => {
    givenCustomer(owned).when(switchTo('direct-2')).thenRefused('MC-12');
  });

  it('MC-12 rejects a switch to the current partner of record', () => {
    givenCustomer(owned).when(switchTo('direct')).thenRefused('MC-12');
  });
});

describe('MC-13: only direct-bill partners and indirect providers sell, to customers they have a relationship with', () => {
  const record = (partnerOfRecordId?: string) =>
    command('RecordSubscription', { subscriptionId: 's', kind: 'usage', channel: 'csp', partnerOfRecordId }, operator);

  it('MC-13 allows a provider with a relationship to be the partner of record', () => {
    givenCustomer([registered(), ...related('provider', 'reseller')]).when(record('provider'))
      .then([subscription('s', 'usage', 'csp', 'provider')]);
  });

  it('MC-13 rejects an indirect reseller as partner of record', () => {
    givenCustomer([registered(), ...related('provider', 'reseller')]).when(record('reseller')).thenRefused('MC-13');
  });

  it('MC-13 rejects a partner of record without a relationship', () => {
    givenCustomer([registered()]).when(record('direct')).thenRefused('MC-13');
  });

  it('MC-13 rejects a CSP subscription without a partner of record', () => {
    givenCustomer([registered()]).when(record(undefined)).thenRefused('MC-13');
  });
});

describe('MC-14: a license term ends once, at or after its end date', () => {
  const licensed: CustomerEvent[] = [registered(), subscription('m365', 'license', 'advisor')];
  const endTerm = (now: string) => command('EndLicenseTerm', { subscriptionId: 'm365' }, systemActor, now);
  const ended: CustomerEvent = { type: 'LicenseTermEnded', data: { customerId: 'contoso', subscriptionId: 'm365', termEndedAt: AFTER_TERM } };

  it('MC-14 records the term end at its date', () => {
    givenCustomer(licensed).when(endTerm(AFTER_TERM)).then([ended]);
  });

  it('MC-14 rejects ending a term before its date', () => {
    givenCustomer(licensed).when(endTerm(NOW)).thenRefused('MC-14');
  });

  it('MC-14 rejects ending a term twice', () => {
    givenCustomer([...licensed, ended]).when(endTerm(AFTER_TERM)).thenRefused('MC-14');
  });

  it('MC-14 rejects ending the term of a usage-based subscription', () => {
    givenCustomer([registered(), subscription('azure', 'usage', 'ea')])
      .when(command('EndLicenseTerm', { subscriptionId: 'azure' }, systemActor, AFTER_TERM))
      .thenRefused('MC-14');
  });

  it('MC-14 rejects ending the term of a cancelled subscription', () => {
    givenCustomer([...licensed, { type: 'SubscriptionCancelled', data: { customerId: 'contoso', subscriptionId: 'm365' } }])
      .when(endTerm(AFTER_TERM))
      .thenRefused('MC-14');
  });
});

describe('MC-15: relationships and grants end once, and give no rights after they end', () => {
  const terminated: CustomerEvent = {
    type: 'RelationshipTerminated', data: { customerId: 'contoso', relationshipId: 'rel-direct', partnerId: 'direct' },
  };

  it('MC-15 lets the customer terminate an active relationship', () => {
    givenCustomer([registered(), ...related('direct')])
      .when(command('TerminateRelationship', { relationshipId: 'rel-direct' }, customer('contoso')))
      .then([terminated]);
  });

  it('MC-15 rejects terminating a relationship twice', () => {
    givenCustomer([registered(), ...related('direct'), terminated])
      .when(command('TerminateRelationship', { relationshipId: 'rel-direct' }, customer('contoso')))
      .thenRefused('MC-15');
  });

  it('MC-15 gives a terminated relationship no right to receive delegated admin', () => {
    const refusal = givenCustomer([registered(), ...related('direct'), terminated])
      .when(command('GrantDelegatedAdmin', { grantId: 'g', partnerId: 'direct', roles: ['x'], endsAt: AFTER_TERM }, customer('contoso')))
      .thenRefused('MC-07');
    expect(refusal.message).toMatch(/MC-15/);
  });

  it('MC-15 gives a terminated relationship no right to receive a switched subscription', () => {
    givenCustomer([registered(), ...related('direct'), ...related('direct-2'), subscription('azure', 'usage', 'csp', 'direct-2'), terminated])
      .when(command('SwitchSubscription', { subscriptionId: 'azure', targetPartnerId: 'direct' }, customer('contoso')))
      .thenRefused('MC-12');
  });

  it('MC-15 revokes an active grant once', () => {
    const revoke = command('RevokeDelegatedAdmin', { grantId: 'g-1' }, customer('contoso'));
    const revoked: CustomerEvent = { type: 'DelegatedAdminRevoked', data: { customerId: 'contoso', grantId: 'g-1', partnerId: 'direct' } };
    givenCustomer([registered(), ...related('direct'), granted('g-1', 'direct')]).when(revoke).then([revoked]);
    givenCustomer([registered(), ...related('direct'), granted('g-1', 'direct'), revoked]).when(revoke).thenRefused('MC-15');
  });

  it('MC-15 expires a grant at its end, and not before', () => {
    const history = [registered(), ...related('direct'), granted('g-1', 'direct', AFTER_TERM)];
    givenCustomer(history).when(command('ExpireDelegatedAdmin', { grantId: 'g-1' }, systemActor, AFTER_TERM))
      .then([{ type: 'DelegatedAdminExpired', data: { customerId: 'contoso', grantId: 'g-1', partnerId: 'direct' } }]);
    givenCustomer(history).when(command('ExpireDelegatedAdmin', { grantId: 'g-1' }, systemActor)).thenRefused('MC-15');
  });
});
