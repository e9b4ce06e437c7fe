import { authorized, enrolled, givenPartners, NOW, operator, partner } from '../testing/decider-spec';
import type { PartnerCommand } from './partner.commands';

const as = (actor: ReturnType<typeof partner>) => ({ actor, now: NOW });

describe('enrolling a partner', () => {
  const enroll: PartnerCommand = {
    type: 'EnrollPartner',
    data: { partnerId: 'direct', name: 'Direct Ltd', program: 'direct-bill', cloud: 'global' },
    metadata: as(operator),
  };

  it('records the partner’s program and cloud', () => {
    givenPartners([]).when(enroll).then([{ type: 'PartnerEnrolled', data: enroll.data }]);
  });

  it('refuses a second enrolment', () => {
    givenPartners([enrolled('direct', 'direct-bill')]).when(enroll).thenRefused('PARTNER_ALREADY_ENROLLED');
  });

  it('refuses a partner enrolling another partner', () => {
    givenPartners([]).when({ ...enroll, metadata: as(partner('someone-else')) }).thenRefused('ACTOR_NOT_PERMITTED');
  });
});

describe('moving a partner from Advisor to CSP', () => {
  const move: PartnerCommand = { type: 'MovePartnerToCsp', data: { partnerId: 'adv', program: 'direct-bill' }, metadata: as(partner('adv')) };

  it('changes the program of an Advisor partner', () => {
    givenPartners([enrolled('adv', 'advisor')]).when(move)
      .then([{ type: 'PartnerMovedToCsp', data: { partnerId: 'adv', fromProgram: 'advisor', toProgram: 'direct-bill' } }]);
  });

  it('refuses a partner that is not in the Advisor program', () => {
    givenPartners([enrolled('adv', 'indirect-provider')]).when(move).thenRefused('PARTNER_NOT_ADVISOR');
  });

  it('refuses an unknown partner', () => {
    givenPartners([]).when(move).thenRefused('PARTNER_NOT_FOUND');
  });
});

describe('authorizing an indirect reseller', () => {
  const authorize = (providerId: string, resellerId: string): PartnerCommand => ({
    type: 'AuthorizeIndirectReseller', data: { providerId, resellerId }, metadata: as(partner(providerId)),
  });
  const cast = [
    enrolled('provider', 'indirect-provider'),
    enrolled('direct', 'direct-bill'),
    enrolled('reseller', 'indirect-reseller'),
    enrolled('reseller-de', 'indirect-reseller', 'germany'),
  ];

  it('MC-03 lets an indirect provider authorize an indirect reseller of its cloud', () => {
    givenPartners(cast).when(authorize('provider', 'reseller')).then([authorized('provider', 'reseller')]);
  });

  it('MC-03 rejects authorization by a direct-bill partner', () => {
    givenPartners(cast).when(authorize('direct', 'reseller')).thenRefused('MC-03');
  });

  it('MC-03 rejects authorizing a partner that is not an indirect reseller', () => {
    givenPartners(cast).when(authorize('provider', 'direct')).thenRefused('MC-03');
  });

  it('MC-01 rejects authorizing a reseller of another cloud', () => {
    givenPartners(cast).when(authorize('provider', 'reseller-de')).thenRefused('MC-01');
  });

  it('refuses authorizing the same reseller twice', () => {
    givenPartners([...cast, authorized('provider', 'reseller')]).when(authorize('provider', 'reseller'))
      .thenRefused('RESELLER_ALREADY_AUTHORIZED');
  });
});
