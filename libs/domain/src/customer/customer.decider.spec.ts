import {
  command, customer, givenCustomer, invited, operator, partner, registered, related, subscription, systemActor,
} from '../testing/decider-spec';
import type { CustomerEvent } from './customer.events';

describe('registering a customer', () => {
  const register = command('RegisterCustomer', { name: 'Contoso', cloud: 'china', isPartnerTenant: false }, operator);

  it('records its cloud and whether its tenant is a partner’s', () => {
    givenCustomer([]).when(register).then([
      { type: 'CustomerRegistered', data: { customerId: 'contoso', name: 'Contoso', cloud: 'china', isPartnerTenant: false } },
    ]);
  });

  it('refuses a second registration', () => {
    givenCustomer([registered()]).when(register).thenRefused('CUSTOMER_ALREADY_REGISTERED');
  });

  it('refuses a partner registering a customer', () => {
    givenCustomer([]).when({ ...register, metadata: { ...register.metadata, actor: partner('direct') } }).thenRefused('ACTOR_NOT_PERMITTED');
  });
});

describe('commands on a customer the ledger does not know', () => {
  it('are refused with CUSTOMER_NOT_FOUND', () => {
    givenCustomer([]).when(command('AcceptInvitation', { invitationId: 'inv-1' }, customer('contoso'))).thenRefused('CUSTOMER_NOT_FOUND');
  });
});

describe('commands naming what the customer does not have', () => {
  it.each([
    ['SUBSCRIPTION_NOT_FOUND', command('CancelSubscription', { subscriptionId: 'nope' }, customer('contoso'))],
    ['INVITATION_NOT_FOUND', command('AcceptInvitation', { invitationId: 'nope' }, customer('contoso'))],
    ['RELATIONSHIP_NOT_FOUND', command('TerminateRelationship', { relationshipId: 'nope' }, customer('contoso'))],
    ['GRANT_NOT_FOUND', command('RevokeDelegatedAdmin', { grantId: 'nope' }, customer('contoso'))],
    ['PARTNER_NOT_FOUND', command('CreateInvitation', { invitationId: 'i', partnerId: 'ghost' }, partner('ghost'))],
  ])('are refused with %s', (code, refused) => {
    givenCustomer([registered()]).when(refused).thenRefused(code);
  });
});

describe('cancelling a subscription', () => {
  const owned: CustomerEvent[] = [registered(), ...related('direct'), subscription('azure', 'usage', 'csp', 'direct')];
  const cancelled: CustomerEvent = { type: 'SubscriptionCancelled', data: { customerId: 'contoso', subscriptionId: 'azure' } };

  it.each([['the customer', customer('contoso')], ['its partner of record', partner('direct')]])('is allowed to %s', (_, actor) => {
    givenCustomer(owned).when(command('CancelSubscription', { subscriptionId: 'azure' }, actor)).then([cancelled]);
  });

  it('is refused to another partner', () => {
    givenCustomer([...owned, ...related('direct-2')])
      .when(command('CancelSubscription', { subscriptionId: 'azure' }, partner('direct-2')))
      .thenRefused('ACTOR_NOT_PERMITTED');
  });

  it('happens once', () => {
    givenCustomer([...owned, cancelled])
      .when(command('CancelSubscription', { subscriptionId: 'azure' }, customer('contoso')))
      .thenRefused('SUBSCRIPTION_CANCELLED');
  });

  it('ends the subscription’s switches', () => {
    givenCustomer([...owned, ...related('direct-2'), cancelled])
      .when(command('SwitchSubscription', { subscriptionId: 'azure', targetPartnerId: 'direct-2' }, customer('contoso')))
      .thenRefused('SUBSCRIPTION_CANCELLED');
  });
});

describe('revoking an invitation', () => {
  const pending: CustomerEvent[] = [registered(), invited('inv-1', 'direct')];
  const revoked: CustomerEvent = { type: 'InvitationRevoked', data: { customerId: 'contoso', invitationId: 'inv-1' } };

  it('is allowed to the inviting partner and to the customer', () => {
    givenCustomer(pending).when(command('RevokeInvitation', { invitationId: 'inv-1' }, partner('direct'))).then([revoked]);
    givenCustomer(pending).when(command('RevokeInvitation', { invitationId: 'inv-1' }, customer('contoso'))).then([revoked]);
  });

  it('is refused to another partner', () => {
    givenCustomer(pending).when(command('RevokeInvitation', { invitationId: 'inv-1' }, partner('direct-2'))).thenRefused('ACTOR_NOT_PERMITTED');
  });
});

describe('recording subscriptions', () => {
  it('refuses a license without a future term end', () => {
    givenCustomer([registered()])
      .when(command('RecordSubscription', { subscriptionId: 'm365', kind: 'license', channel: 'open' }, operator))
      .thenRefused('SUBSCRIPTION_TERM_INVALID');
  });

  it('refuses a partner of record outside the CSP channel', () => {
    givenCustomer([registered(), ...related('direct')])
      .when(command('RecordSubscription', { subscriptionId: 's', kind: 'usage', channel: 'ea', partnerOfRecordId: 'direct' }, operator))
      .thenRefused('PARTNER_OF_RECORD_NOT_CSP');
  });

  it('refuses a switched license without a new term', () => {
    const ended: CustomerEvent = { type: 'LicenseTermEnded', data: { customerId: 'contoso', subscriptionId: 'm365', termEndedAt: '2026-09-01T00:00:00.000Z' } };
    givenCustomer([registered(), subscription('m365', 'license', 'advisor'), ended, ...related('direct')])
      .when(command('SwitchSubscription', { subscriptionId: 'm365', targetPartnerId: 'direct' }, customer('contoso'), '2026-09-02T00:00:00.000Z'))
      .thenRefused('SUBSCRIPTION_TERM_INVALID');
  });
});

describe('time-driven facts', () => {
  it('are recorded only by the system', () => {
    givenCustomer([registered(), invited('inv-1', 'direct')])
      .when(command('ExpireInvitation', { invitationId: 'inv-1' }, customer('contoso'), '2027-01-01T00:00:00.000Z'))
      .thenRefused('ACTOR_NOT_PERMITTED');
    givenCustomer([registered(), invited('inv-1', 'direct')])
      .when(command('ExpireInvitation', { invitationId: 'inv-1' }, systemActor, '2027-01-01T00:00:00.000Z'))
      .then([{ type: 'InvitationExpired', data: { customerId: 'contoso', invitationId: 'inv-1' } }]);
  });
});
