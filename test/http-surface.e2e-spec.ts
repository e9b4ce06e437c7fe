import request from 'supertest';
import { TestLedger, TOKENS } from './support/test-ledger';

describe('the HTTP surface', () => {
  let ledger: TestLedger;
  const http = () => request(ledger.app.getHttpServer());

  beforeAll(async () => {
    ledger = await TestLedger.start();
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('answers 405 with Allow for a path it serves with other methods, and 404 for a path it does not serve', async () => {
    const listed = await http().get('/customers').set('Authorization', `Bearer ${TOKENS.admin}`).expect(405);
    expect(listed.headers.allow).toBe('POST');
    expect(listed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(listed.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', allow: ['POST'] });

    const deleted = await http().delete('/customers/contoso/ownership').set('Authorization', `Bearer ${TOKENS.admin}`).expect(405);
    expect(deleted.headers.allow).toBe('GET');
    // Unauthenticated, the answer is the same: which methods a path has is in the public API document.
    await http().put('/partners').expect(405);

    const unknown = await http().get('/customers/contoso/teleport').set('Authorization', `Bearer ${TOKENS.admin}`).expect(404);
    expect(unknown.body.code).toBe('ROUTE_NOT_FOUND');
    await http().head('/health/live').expect(200);
  });

  it('sets security headers on every answer, and Swagger UI still loads its page, script and styles under them', async () => {
    const answer = await http().get('/health/live').expect(200);
    expect(answer.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
    });
    expect(answer.headers['x-powered-by']).toBeUndefined();
    const csp = answer.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");

    const page = await http().get('/docs/').expect(200);
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    // Only same-origin scripts, and no inline script body, since the policy allows no other.
    expect(scripts.every((src) => !/^https?:/.test(src))).toBe(true);
    expect(page.text).not.toMatch(/<script(?![^>]*src=)[^>]*>\s*\S/);
    for (const src of scripts) await http().get(`/docs/${src.replace(/^\.\//, '')}`).expect(200);
  });
});
