import { addDays } from '@ledger/domain';
import { ReadSide } from '@ledger/read-models';
import { Clock } from '../apps/ledger/src/clock';
import { LedgerCommands } from '../apps/ledger/src/commands/submit-command';
import { Scheduler } from '../apps/ledger/src/scheduler/scheduler';
import { TestLedger } from './support/test-ledger';

const T0 = '2026-03-01T09:00:00.000Z';

describe('the scheduler records term ends and expiries when their time comes', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start(T0);
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    await ledger.command('/customers/contoso/subscriptions',
      { subscriptionId: 'm365', kind: 'license', channel: 'advisor', termEndsAt: addDays(T0, 30) }).expect(201);
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'northwind' }, { actor: 'partner:northwind' }).expect(201);
    await ledger.command('/customers/contoso/invitations/inv-1/acceptance', undefined, { actor: 'customer:contoso' }).expect(201);
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-2', partnerId: 'adatum' }, { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/delegated-admin-grants',
      { grantId: 'g-1', partnerId: 'northwind', roles: ['Global Reader'], endsAt: addDays(T0, 10) }, { actor: 'customer:contoso' }).expect(201);
    await ledger.projected();
  });

  afterAll(async () => {
    await ledger.close();
  });

  const scheduler = (app: TestLedger) => app.app.get(Scheduler);
  const count = async (app: TestLedger, type: string) => (await app.streamTypes('customer-contoso')).filter((t) => t === type).length;

  it('records nothing before anything is due', async () => {
    expect(await scheduler(ledger).runOnce()).toEqual({ recorded: 0, alreadyRecorded: 0, refused: 0, failed: 0 });
  });

  it('records a grant’s expiry once its end has passed, once', async () => {
    ledger.clock.set(addDays(T0, 11));
    expect(await scheduler(ledger).runOnce()).toMatchObject({ recorded: 1 });
    await ledger.projected();
    expect(await scheduler(ledger).runOnce()).toEqual({ recorded: 0, alreadyRecorded: 0, refused: 0, failed: 0 });
    expect(await count(ledger, 'DelegatedAdminExpired')).toBe(1);
  });

  it('with two schedulers running at once, records the term end once', async () => {
    ledger.clock.set(addDays(T0, 31));
    const other = new Scheduler(ledger.app.get(ReadSide), ledger.app.get(LedgerCommands), ledger.app.get(Clock), { intervalMs: 0 });
    const [a, b] = await Promise.all([scheduler(ledger).runOnce(), other.runOnce()]);
    expect(a.recorded + b.recorded).toBe(1);
    expect(a.alreadyRecorded + b.alreadyRecorded).toBe(1);
    expect(await count(ledger, 'LicenseTermEnded')).toBe(1);
  });

  it('after a restart, catches up on what fell due while it was down, and records nothing twice', async () => {
    await ledger.stop();
    ledger = await TestLedger.start(addDays(T0, 120), 'SQLite', ledger.dataDir);
    await ledger.projected();
    expect(await scheduler(ledger).runOnce()).toMatchObject({ recorded: 1 });
    expect(await ledger.streamTypes('customer-contoso')).toEqual([
      'CustomerRegistered', 'SubscriptionRecorded', 'InvitationCreated', 'RelationshipAccepted', 'InvitationCreated',
      'DelegatedAdminGranted', 'DelegatedAdminExpired', 'LicenseTermEnded', 'InvitationExpired',
    ]);
    const [expired] = (await ledger.store.readStream('customer-contoso')).filter((e) => e.type === 'InvitationExpired');
    expect(expired.metadata).toMatchObject({ actor: { kind: 'system', id: 'scheduler' }, client: 'scheduler', recordedAt: addDays(T0, 120) });
  });
});
