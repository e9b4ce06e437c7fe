import { decodeEvent, metadataOf, policyOfEvent } from './stored-events';

const stored = (type: string, schemaVersion: number, data: unknown) => ({
  id: 'e-1', type, schemaVersion, data, metadata: { recordedAt: '2026-03-01T00:00:00.000Z', client: 'portal', commandId: 'c-1' },
});

describe('decoding a stored event', () => {
  it('gives the domain event with its id and recording time', () => {
    expect(decodeEvent(stored('InvitationRevoked', 1, { customerId: 'contoso', invitationId: 'inv-1' }))).toEqual({
      type: 'InvitationRevoked', data: { customerId: 'contoso', invitationId: 'inv-1' }, id: 'e-1', recordedAt: '2026-03-01T00:00:00.000Z',
    });
  });

  it('upcasts an older schema version through the upcasters, one version at a time', () => {
    const upcasters = { CustomerRegistered: { 0: (data: unknown) => ({ ...(data as object), isPartnerTenant: false }) } };
    expect(decodeEvent(stored('CustomerRegistered', 0, { customerId: 'contoso', name: 'Contoso', cloud: 'global' }), upcasters)?.data)
      .toEqual({ customerId: 'contoso', name: 'Contoso', cloud: 'global', isPartnerTenant: false });
  });

  it('reads a subscription recorded before the commerce platform was named (schema version 1) as legacy', () => {
    const v1 = { customerId: 'contoso', subscriptionId: 'm365', kind: 'license', channel: 'csp', partnerOfRecordId: 'direct', termEndsAt: '2027-01-01T00:00:00.000Z' };
    expect(decodeEvent(stored('SubscriptionRecorded', 1, v1))?.data).toEqual({ ...v1, commerce: 'legacy' });
    expect(decodeEvent(stored('SubscriptionRecorded', 2, { ...v1, commerce: 'new-commerce' }))?.data).toEqual({ ...v1, commerce: 'new-commerce' });
  });

  it('names the version of the rules an event was decided under: as recorded, or the one in force when it was recorded', () => {
    expect(policyOfEvent({ recordedAt: '2026-03-01T00:00:00.000Z', policy: 'multichannel-2019' })).toBe('multichannel-2019');
    expect(policyOfEvent({ recordedAt: '2026-03-01T00:00:00.000Z' })).toBe('gdap-2023');
    expect(policyOfEvent({ recordedAt: '2021-03-01T00:00:00.000Z' })).toBe('multichannel-2019');
  });

  it('refuses an older version no upcaster reads, rather than handing the evolve an old shape', () => {
    expect(() => decodeEvent(stored('CustomerRegistered', 0, {}))).toThrow(/no upcaster reads that version/);
  });

  it('passes over an event type the ledger does not know', () => {
    expect(decodeEvent(stored('SomethingElse', 1, {}))).toBeUndefined();
  });

  it('reads the ledger’s metadata by name', () => {
    expect(metadataOf(stored('InvitationRevoked', 1, {}))).toMatchObject({ client: 'portal', commandId: 'c-1' });
  });
});
