import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { Histogram, Registry } from 'prom-client';
import request from 'supertest';
import { correlationIdMiddleware } from '../http/correlation-id';
import { requestLog } from './request-log';

/** An Express app with the request log in front of three routes, logging into memory. */
function loggedApp() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const registry = new Registry();
  const requestDuration = new Histogram({ name: 'test_duration_seconds', help: 'test', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const app = express();
  app.use(correlationIdMiddleware);
  app.use(requestLog(pino({ level: 'info' }, sink), { requestDuration }));
  app.get('/customers/:customerId', (_request, response) => {
    response.json({ ok: true });
  });
  app.get('/health/live', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/broken', (_request, response) => {
    response.status(500).json({ broken: true });
  });
  return { app, lines, registry };
}

describe('the request log', () => {
  it('writes one line per answered request: method, path, status, time and correlation id, and no header', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/customers/contoso?x=1').set('Authorization', 'Bearer secret-token-1234').set('X-Correlation-Id', 'corr-1').expect(200);
    await request(app).get('/nowhere').expect(404);
    await request(app).get('/broken').expect(500);
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines.map((line) => [line.level, line.msg, (line.req as { url: string }).url, (line.res as { statusCode: number }).statusCode]))
      .toEqual([[30, 'request completed', '/customers/contoso?x=1', 200], [40, 'request completed', '/nowhere', 404], [50, 'request completed', '/broken', 500]]);
    expect(lines[0]).toMatchObject({ correlationId: 'corr-1', req: { id: 'corr-1', method: 'GET' } });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toMatch(/secret-token|authorization/i);
  });

  it('times probes into the histogram by route pattern without a log line', async () => {
    const { app, lines, registry } = loggedApp();
    await request(app).get('/health/live').expect(200);
    await request(app).get('/customers/fabrikam').expect(200);
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines.map((line) => (line.req as { url: string }).url)).toEqual(['/customers/fabrikam']);
    const values = (await registry.getSingleMetric('test_duration_seconds')?.get())?.values as Array<{ metricName: string; labels: { route?: string }; value: number }>;
    const counts = values.filter((value) => value.metricName === 'test_duration_seconds_count').map((value) => [value.labels.route, value.value]);
    expect(counts).toEqual(expect.arrayContaining([['/health/live', 1], ['/customers/:customerId', 1]]));
  });
});
