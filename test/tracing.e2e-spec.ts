import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { verifyLog } from '@ledger/event-store';
import { TestLedger, TOKENS } from './support/test-ledger';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start(undefined, undefined, undefined, {}, { spanProcessor: new SimpleSpanProcessor(exporter) });
  });

  afterAll(async () => {
    await ledger.close();
  });

  beforeEach(() => exporter.reset());

  const named = (spans: ReadableSpan[], name: string) => spans.find((span) => span.name === name);

  it('continue the caller’s traceparent from the HTTP request through the command to the append, whose trace id is the correlation id', async () => {
    const answer = await request(ledger.app.getHttpServer()).post('/customers')
      .set('Authorization', `Bearer ${TOKENS.admin}`)
      .set('traceparent', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`)
      .send({ customerId: 'contoso', name: 'Contoso', cloud: 'global' })
      .expect(201);
    expect(answer.headers['x-correlation-id']).toBe(CALLER_TRACE);

    const spans = exporter.getFinishedSpans();
    const server = named(spans, 'POST /customers');
    const command = named(spans, 'command RegisterCustomer');
    const append = named(spans, 'eventstore.append');
    expect(server && command && append).toBeTruthy();
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([CALLER_TRACE]));
    expect(server!.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(command!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(append!.parentSpanContext?.spanId).toBe(command!.spanContext().spanId);
    expect(server!.attributes).toMatchObject({ 'http.route': '/customers', 'http.response.status_code': 201 });
    expect(append!.attributes).toMatchObject({ 'ledger.stream': 'customer-contoso', 'ledger.events': 1 });

    // The trace id reaches the event only as its correlation id, which is part of what the chain hashes.
    const [event] = await ledger.store.readStream('customer-contoso');
    expect(event.metadata.correlationId).toBe(CALLER_TRACE);
    expect((await verifyLog(ledger.store)).brokenLink).toBeUndefined();
  });

  it('start a trace of their own without a traceparent, and mark a refused command’s span failed', async () => {
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso again', cloud: 'global' }).expect(409);
    const spans = exporter.getFinishedSpans();
    const server = named(spans, 'POST /customers')!;
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.attributes['http.response.status_code']).toBe(409);
    expect(named(spans, 'command RegisterCustomer')!.status.code).toBe(SpanStatusCode.ERROR);
  });
});
