import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedEvent } from '@ledger/event-store';
import { encodePositionToken } from '@ledger/event-store';
import { inviteThroughReseller } from './support/ledger-command';
import { TestLedger, testStores, TOKENS } from './support/test-ledger';

interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
}

interface FeedRead {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly messages: SseMessage[];
  /** The body, when the answer is not a feed (a problem). */
  readonly body: string;
}

/**
 * Opens a feed over real HTTP (supertest waits for the end of a body, and a feed has none) and reads messages
 * until `enough` says so, then hangs up, as a client that goes away mid-stream does.
 */
function readFeed(base: string, path: string, headers: Record<string, string>, enough: (messages: SseMessage[]) => boolean): Promise<FeedRead> {
  return new Promise((resolve, reject) => {
    const messages: SseMessage[] = [];
    let buffer = '';
    const req = httpRequest(`${base}${path}`, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      response.setEncoding('utf8');
      const done = () => {
        req.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, messages, body: buffer });
      };
      if (response.statusCode !== 200) {
        response.on('data', (chunk: string) => (buffer += chunk));
        response.on('end', done);
        return;
      }
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = block.split('\n').filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]);
          if (fields.length > 0) messages.push(Object.fromEntries(fields) as SseMessage);
          if (enough(messages)) return done();
        }
      });
      response.on('end', done);
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe.each(testStores())('the change feed (%s)', (store) => {
  let ledger: TestLedger;
  let base: string;

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', store);
    const server = ledger.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await inviteThroughReseller(ledger);
    await ledger.command('/customers', { customerId: 'litware', name: 'Litware', cloud: 'global' }).expect(201);
    await ledger.command('/customers/contoso/invitations/inv-1/acceptance', undefined, { actor: 'customer:contoso' }).expect(201);
    await ledger.projected();
  });

  afterAll(async () => {
    await ledger.close();
  });

  const log = async (): Promise<RecordedEvent[]> => ledger.store.readAll({ maxCount: 10_000 });

  it('sends every event once across a reconnect with Last-Event-ID, older ones first, then those appended while away', async () => {
    const first = await readFeed(base, '/events', bearer(TOKENS.reader), (messages) => messages.length === 3);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/event-stream/);
    const lastSeen = first.messages[2].id!;

    // Appended while the client is away.
    await ledger.command('/customers/litware/subscriptions', { subscriptionId: 'm365', kind: 'license', channel: 'advisor', termEndsAt: '2026-09-01T00:00:00Z' })
      .expect(201);
    await ledger.command('/customers', { customerId: 'fourth', name: 'Fourth', cloud: 'global' }).expect(201);
    const all = await log();

    const rest = await readFeed(base, '/events', { ...bearer(TOKENS.reader), 'Last-Event-ID': lastSeen },
      (messages) => messages.length === all.length - 3);
    const received = [...first.messages, ...rest.messages];
    expect(received.map((m) => m.id)).toEqual(all.map((event) => encodePositionToken(event.position)));
    expect(received.map((m) => m.event)).toEqual(all.map((event) => event.type));
    const item = JSON.parse(received[received.length - 1].data!) as Record<string, unknown>;
    expect(item).toMatchObject({ stream: 'customer-fourth', category: 'customer', id: 'fourth', revision: '0', type: 'CustomerRegistered',
      data: { customerId: 'fourth', name: 'Fourth' }, recordedAt: '2026-03-01T09:00:00.000Z', position: received[received.length - 1].id });
    expect(item).not.toHaveProperty('metadata');

    // A new event reaches a feed that is already open and caught up.
    const live = readFeed(base, `/events?after=${encodeURIComponent(encodePositionToken(all[all.length - 1].position))}`, bearer(TOKENS.reader),
      (messages) => messages.length === 1);
    await ledger.command('/customers', { customerId: 'fifth', name: 'Fifth', cloud: 'global' }).expect(201);
    expect((await live).messages.map((m) => m.event)).toEqual(['CustomerRegistered']);
  });

  it('gives a customer-bound reader its own events and its partners’, never another customer’s', async () => {
    const contosoLast = (await ledger.store.readStream('customer-contoso')).at(-1)!;
    const seen = await readFeed(base, '/events', bearer(TOKENS.contosoPortal),
      (messages) => messages.some((m) => m.id === encodePositionToken(contosoLast.position)));
    const streams = new Set(seen.messages.map((m) => (JSON.parse(m.data!) as { stream: string }).stream));
    expect([...streams].sort()).toEqual(['customer-contoso', 'partner-adatum', 'partner-fabrikam']);
    const contosoEvents = seen.messages.filter((m) => m.data!.includes('"stream":"customer-contoso"'));
    expect(contosoEvents.map((m) => m.event)).toEqual(await ledger.streamTypes('customer-contoso'));
  });

  it('filters by category, customer and event type', async () => {
    const accepted = await readFeed(base, '/events?customerId=contoso&type=RelationshipAccepted,InvitationCreated', bearer(TOKENS.reader),
      (messages) => messages.length === 2);
    expect(accepted.messages.map((m) => m.event)).toEqual(['InvitationCreated', 'RelationshipAccepted']);
    const partners = await readFeed(base, '/events?category=partner', bearer(TOKENS.reader), (messages) => messages.length === 3);
    expect(partners.messages.every((m) => m.data!.includes('"category":"partner"'))).toBe(true);
  });

  it('with follow=false, sends what is recorded and ends', async () => {
    const all = await log();
    const batch = await readFeed(base, '/events?follow=false', bearer(TOKENS.reader), () => false);
    expect(batch.messages.map((m) => m.id)).toEqual(all.map((event) => encodePositionToken(event.position)));
    const caughtUp = await readFeed(base, `/events?follow=false&after=${encodeURIComponent(batch.messages.at(-1)!.id!)}`, bearer(TOKENS.reader), () => false);
    expect(caughtUp).toMatchObject({ status: 200, messages: [] });
  });

  it('answers a bad position, an unknown type or a token without the read scope with a problem, before any event', async () => {
    const bad = await readFeed(base, '/events', { ...bearer(TOKENS.reader), 'Last-Event-ID': 'not-a-position' }, () => true);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ code: 'INVALID_POSITION_TOKEN' });
    expect((await readFeed(base, '/events?type=NoSuchEvent', bearer(TOKENS.reader), () => true)).status).toBe(400);
    expect((await readFeed(base, '/events', bearer(TOKENS.writeOnly), () => true)).status).toBe(403);
    expect((await readFeed(base, '/events', {}, () => true)).status).toBe(401);
  });
});
