/**
 * The web page on a long customer, not a test: a customer with about a thousand events (delegated admin
 * granted and revoked again and again, subscriptions recorded with a partner of record) opened in Debian's
 * Chromium, from the moment its address is asked for until its timeline is drawn and its rights at the
 * cursor are shown. Prints each run, then the median.
 *
 *   npm run bench:web-page            (apt-get install chromium first)
 *   npm run bench:web-page -- 2000    (about 2,000 events)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { createLedgerApp } from '../apps/ledger/src/app';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { MovableClock } from '../apps/ledger/src/testing/movable-clock';
import { ReadSide } from '@ledger/read-models';
import { EventStore } from '@ledger/event-store';
import { buildUi } from '../scripts/build-ui';
import { CHROMIUM, haveChromium, launchChromium } from '../test/support/chromium';

const TOKEN = 'bench-web-page-token-0123456789';
const RUNS = 7;

async function main(): Promise<void> {
  if (!haveChromium()) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
  const target = Number(process.argv[2] ?? 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-web-bench-'));
  const uiDir = await buildUi(join(dataDir, 'ui'));
  const clock = new MovableClock('2026-01-01T00:00:00.000Z');
  const config = {
    ...loadConfig({ LEDGER_DATA_DIR: dataDir, LEDGER_SCHEDULER_INTERVAL_MS: '0', LEDGER_CHECKPOINT_INTERVAL_MS: '0', LEDGER_RATE_LIMIT_PER_MINUTE: '0' }),
    uiDir,
    tokens: [{ client: 'bench', token: TOKEN, scopes: ['write', 'read', 'audit', 'system'] as const, actsFor: ['partner:*', 'customer:*', 'operator:self', 'system'] }],
  };
  const { app } = await createLedgerApp(config, { clock, quiet: true });
  const post = (path: string, body: object | undefined, actor: string) =>
    request(app.getHttpServer()).post(path).set('Authorization', `Bearer ${TOKEN}`).set('Ledger-Actor', actor).send(body).then((answer) => {
      if (answer.status !== 201) throw new Error(`${path} as ${actor}: ${answer.status} ${JSON.stringify(answer.body)}`);
    });
  const tick = () => clock.set(new Date(Date.parse(clock.now().toISOString()) + 3_600_000).toISOString());

  await post('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'direct-bill', cloud: 'global' }, 'operator:bench');
  await post('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }, 'operator:bench');
  await post('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'adatum' }, 'partner:adatum');
  await post('/customers/contoso/invitations/inv-1/acceptance', undefined, 'customer:contoso');
  let events = 4;
  for (let i = 0; events < target; i += 1) {
    tick();
    if (i % 3 === 2) {
      await post('/customers/contoso/subscriptions', { subscriptionId: `sub-${i}`, kind: 'usage', channel: 'csp', partnerOfRecordId: 'adatum' }, 'partner:adatum');
      events += 1;
    } else {
      const endsAt = new Date(Date.parse(clock.now().toISOString()) + 200 * 86_400_000).toISOString();
      await post('/customers/contoso/delegated-admin-grants', { grantId: `g-${i}`, partnerId: 'adatum', roles: ['Helpdesk Administrator'], endsAt }, 'customer:contoso');
      tick();
      await post(`/customers/contoso/delegated-admin-grants/g-${i}/revocation`, undefined, 'customer:contoso');
      events += 2;
    }
  }
  const head = await app.get(EventStore).headPosition();
  if (head) await app.get(ReadSide).waitFor(head, 60_000);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/ui/`);
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await page.goto(`${base}/ui/#/partner/adatum`);
      await page.getByRole('heading', { name: /Adatum/ }).waitFor();
      const started = performance.now();
      await page.evaluate('location.hash = "#/customer/contoso"');
      await page.locator('.chart svg[aria-label^="Timeline"]').waitFor();
      await page.locator('caption', { hasText: 'Rights as of' }).waitFor();
      const elapsed = performance.now() - started;
      times.push(elapsed);
      const label = await page.locator('.chart svg[aria-label^="Timeline"]').getAttribute('aria-label');
      console.log(`run ${run + 1}: ${elapsed.toFixed(0)} ms to the drawn timeline and the rights (${label})`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${events} events of one customer: median ${sorted[Math.floor(RUNS / 2)].toFixed(0)} ms, fastest ${sorted[0].toFixed(0)} ms, slowest ${sorted[RUNS - 1].toFixed(0)} ms ` +
      `(Chromium ${browser.version()}, headless, 1280×800; node ${process.version})`);
  } finally {
    await browser.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
