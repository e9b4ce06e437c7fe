import { authorized, enrolled } from '../testing/decider-spec';
import { partnerViewOf } from '../testing/projection-spec';

describe('the partner view', () => {
  it('records program, cloud and the resellers a provider authorized', () => {
    expect(partnerViewOf([enrolled('provider', 'indirect-provider', 'germany'), authorized('provider', 'reseller')])).toEqual({
      partnerId: 'provider', name: 'provider', program: 'indirect-provider', cloud: 'germany', enrolledAt: '2026-03-01T00:00:00.000Z',
      resellers: [{ resellerId: 'reseller', authorizedBy: 'e2', at: '2026-03-02T00:00:00.000Z' }], eventsApplied: 2,
    });
  });

  it('follows a move from Advisor into CSP', () => {
    expect(partnerViewOf([enrolled('adv', 'advisor'),
      { type: 'PartnerMovedToCsp', data: { partnerId: 'adv', fromProgram: 'advisor', toProgram: 'direct-bill' } }])?.program)
      .toBe('direct-bill');
  });
});
