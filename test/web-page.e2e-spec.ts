import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { checkInclusion, type InclusionProof } from '../apps/ledger-ui/src/proof';
import { buildUi } from '../scripts/build-ui';
import { CHROMIUM, haveChromium, launchChromium } from './support/chromium';
import { inviteThroughReseller } from './support/ledger-command';
import { TestLedger, TOKENS } from './support/test-ledger';

/** Where the test leaves its screenshots for a person to look at (gitignored). */
const SCREENSHOTS = join(__dirname, '..', 'test-results');
const haveBrowser = haveChromium();
if (!haveBrowser) console.warn(`web page tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/**
 * The multichannel story's customer, over three months: an indirect provider (adatum) owns the relationship
 * its reseller (fabrikam) is linked to; the customer grants the reseller delegated admin and later revokes
 * it; a license moves to the provider at its term end; the provider gets a grant that ends soon; three
 * commands are refused on the way.
 */
async function tellTheStory(ledger: TestLedger): Promise<void> {
  const as = (actor: string) => ({ actor });
  await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
  await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' }).expect(201);
  await ledger.command('/partners', { partnerId: 'fabrikam', name: 'Fabrikam', program: 'indirect-reseller', cloud: 'global' }).expect(201);
  await ledger.command('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, as('partner:adatum')).expect(201);
  await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
  await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 'azure-ea', kind: 'usage', channel: 'ea' }).expect(201);
  await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 'm365', kind: 'license', channel: 'advisor', termEndsAt: '2026-04-01T00:00:00Z' }).expect(201);
  await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'adatum', resellerId: 'fabrikam' }, as('partner:adatum')).expect(201);
  await ledger.command('/customers/contoso/invitations', { partnerId: 'fabrikam' }, as('partner:fabrikam')).expect(422);
  ledger.clock.set('2026-03-03T10:00:00.000Z');
  await ledger.command('/customers/contoso/invitations/inv-1/acceptance', undefined, as('customer:contoso')).expect(201);
  ledger.clock.set('2026-03-05T10:00:00.000Z');
  await ledger.command('/customers/contoso/delegated-admin-grants', {
    grantId: 'g-fabrikam', partnerId: 'fabrikam', roles: ['Helpdesk Administrator'], endsAt: '2027-03-01T00:00:00Z',
  }, as('customer:contoso')).expect(201);
  await ledger.command('/customers/contoso/subscriptions/m365/switch', { targetPartnerId: 'adatum', newTermEndsAt: '2027-04-01T00:00:00Z' }, as('customer:contoso')).expect(422);
  ledger.clock.set('2026-04-01T00:00:00.000Z');
  await ledger.command('/customers/contoso/subscriptions/m365/term-end', undefined, as('system')).expect(201);
  await ledger.command('/customers/contoso/subscriptions/m365/switch', { targetPartnerId: 'adatum', newTermEndsAt: '2027-04-01T00:00:00Z' }, as('customer:contoso')).expect(201);
  await ledger.command('/customers/contoso/subscriptions/azure-ea/switch', { targetPartnerId: 'adatum' }, as('customer:contoso')).expect(422);
  ledger.clock.set('2026-05-01T00:00:00.000Z');
  await ledger.command('/customers/contoso/delegated-admin-grants/g-fabrikam/revocation', undefined, as('customer:contoso')).expect(201);
  ledger.clock.set('2026-05-20T00:00:00.000Z');
  await ledger.command('/customers/contoso/delegated-admin-grants', {
    grantId: 'g-adatum', partnerId: 'adatum', roles: ['Global Reader'], endsAt: '2026-06-05T00:00:00Z',
  }, as('customer:contoso')).expect(201);
  ledger.clock.set('2026-06-01T00:00:00.000Z');
  await ledger.projected();
}

(haveBrowser ? describe : describe.skip)('the auditor’s web page, in Chromium', () => {
  jest.setTimeout(30_000);
  let ledger: TestLedger;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let uiDir: string;
  /** What the browser reported the page doing wrong (script errors, refused by the content security policy). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    uiDir = await buildUi(mkdtempSync(join(tmpdir(), 'ledger-ui-')));
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', 'SQLite', undefined, { uiDir });
    await tellTheStory(ledger);
    await ledger.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(ledger.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The 403 and 404 answers the page is shown on purpose are logged by the browser too: those are not errors of the page.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.close();
    if (uiDir) rmSync(uiDir, { recursive: true, force: true });
  });

  async function useToken(token: string): Promise<void> {
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
  }

  async function showCustomer(id: string): Promise<void> {
    await page.getByLabel('Show').selectOption('customer');
    await page.getByLabel('with id').fill(id);
    await page.getByLabel('with id').press('Enter');
  }

  const rightsTable = () => page.locator('table', { has: page.locator('caption', { hasText: 'Rights as of' }) });

  it('asks for a token first, and sends /ui to /ui/', async () => {
    const answer = await page.goto(`${base}/ui`);
    expect(answer?.url()).toBe(`${base}/ui/`);
    // Same-origin scripts only; and no upgrade to HTTPS, which the service itself does not speak.
    const policy = (await answer?.allHeaders())?.['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('No token yet');
    expect(await page.getByLabel('with id').isVisible()).toBe(false);
  });

  it('shows the customer’s lanes, spans and markers once a token is entered', async () => {
    await useToken(TOKENS.admin);
    await showCustomer('contoso');
    await page.getByRole('heading', { name: /Contoso/ }).waitFor();
    const chart = page.locator('.chart svg[aria-label^="Timeline"]');
    await chart.waitFor();
    const label = await chart.getAttribute('aria-label');
    // Lanes: the customer's own, adatum, fabrikam; 10 events and 3 refused commands.
    expect(label).toContain('3 lanes');
    expect(label).toContain('13 events and refusals');
    const text = await chart.textContent();
    for (const lane of ['(customer)', 'adatum', 'fabrikam']) expect(text).toContain(lane);
    const titles = await page.locator('.chart svg title').allTextContents();
    expect(titles.filter((t) => t.startsWith('REFUSED')).map((t) => t.slice(8, 13)).sort()).toEqual(['MC-03', 'MC-09', 'MC-10']);
    expect(titles.some((t) => t.startsWith('fabrikam: grant g-fabrikam') && t.includes('(revoked)'))).toBe(true);
    expect(titles.some((t) => t.startsWith('adatum: subscription m365') && t.includes('partner of record'))).toBe(true);
    expect(titles.some((t) => t.startsWith('RelationshipAccepted') && t.includes('by customer:contoso through test-admin'))).toBe(true);
  });

  it('moves the time cursor and shows the rights then, with their reasons', async () => {
    await rightsTable().waitFor();
    const now = await rightsTable().textContent();
    expect(now).toContain('as of 2026-06-01 00:00 UTC');
    expect(now).not.toMatch(/fabrikamadminister/);
    await page.getByLabel('or a time (UTC)').fill('2026-03-10T12:00');
    await page.getByLabel('or a time (UTC)').dispatchEvent('change');
    await page.locator('caption', { hasText: 'as of 2026-03-10 12:00 UTC' }).waitFor();
    const then = await rightsTable().textContent();
    expect(then).toContain('fabrikamadminister');
    expect(then).toContain('MC-07: holds delegated admin grant g-fabrikam (Helpdesk Administrator)');
    // By keyboard: the slider goes to its first moment, the customer's registration, when no one had a right.
    await page.getByLabel('Time cursor').focus();
    await page.keyboard.press('Home');
    await page.locator('caption', { hasText: 'as of 2026-03-01 09:00 UTC' }).waitFor();
    expect(await rightsTable().locator('tbody').textContent()).toBe('None.');
    await page.keyboard.press('ArrowRight');
    await page.locator('caption', { hasText: 'as of 2026-03-01 09:00 UTC' }).waitFor();
    // The last moment is ahead of the ledger's clock: the end of adatum's grant, when it no longer administers.
    await page.keyboard.press('End');
    await page.locator('caption', { hasText: 'as of 2026-06-05 00:00 UTC' }).waitFor();
    expect(await rightsTable().textContent()).not.toMatch(/adatumadminister/);
    await page.getByLabel('or a time (UTC)').fill('2026-05-25T00:00');
    await page.getByLabel('or a time (UTC)').dispatchEvent('change');
    await page.locator('caption', { hasText: 'as of 2026-05-25 00:00 UTC' }).waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SCREENSHOTS, 'auditor-view.png'), fullPage: false });
  });

  it('exports the rights at the cursor as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export rights (CSV)' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(csv[0]).toBe('partner,right,until,roles,reasons,events');
    expect(csv.some((line) => line.startsWith('adatum,transact,') && line.includes('MC-05: owns reseller relationship inv-1'))).toBe(true);
    expect(csv.some((line) => line.startsWith('adatum,administer,2026-06-05T00:00:00.000Z,Global Reader,'))).toBe(true);
  });

  it('verifies an event’s inclusion proof in the browser against the signed checkpoint', async () => {
    await page.getByRole('button', { name: /Verify the inclusion of event/ }).first().click();
    await page.getByText(/✓ proven: event .* \(customer-contoso revision 0\) is leaf 4 of relationship-ledger\//).waitFor();
    await page.getByLabel('Verifier key').fill('someone-else+00000000+AQ==');
    await page.getByRole('button', { name: /Verify the inclusion of event/ }).nth(1).click();
    await page.getByText(/✗ not proven: checkpoint rejected: The verifier key is not/).waitFor();
  });

  it('has no serious accessibility violations (axe-core)', async () => {
    await page.evaluate(axe.source);
    const results = await page.evaluate<axe.AxeResults>('axe.run({ resultTypes: ["violations"] })');
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
  });

  it('shows a partner’s customers by right and what ends within 30, 7 and 1 days, and exports it', async () => {
    await page.goto(`${base}/ui/#/partner/adatum`);
    await page.getByRole('heading', { name: /Adatum/ }).waitFor();
    await page.locator('caption', { hasText: 'Ending within 7 days: 1' }).waitFor();
    expect(await page.locator('caption', { hasText: 'Ending within 1 day:' }).textContent()).toBe('Ending within 1 day: 0');
    expect(await page.locator('caption', { hasText: 'Customers it may administer for' }).textContent()).toContain(': 1');
    expect(await page.locator('caption', { hasText: 'Its resellers’ customers' }).textContent()).toContain(': 1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export this view (CSV)' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('ends within 7 days,contoso,delegated admin g-adatum (Global Reader),2026-06-05T00:00:00.000Z');
  });

  it('shows a customer’s own portal what its token may read, and says what it may not', async () => {
    await useToken(TOKENS.contosoPortal);
    await showCustomer('contoso');
    await page.getByRole('heading', { name: /Contoso/ }).waitFor();
    await page.getByText('The history: This credential may not see this.').waitFor();
    await page.getByText('Refused commands: This credential may not see this.').waitFor();
    await rightsTable().waitFor();
    await showCustomer('litware');
    await page.getByRole('alert').filter({ hasText: /litware/ }).waitFor();
  });

  it('ran without a script error or a content-security-policy refusal', () => {
    expect(pageErrors).toEqual([]);
  });
});

/** The page's own proof check (Web Crypto, as in the browser; Node has the same API), against the ledger's proofs. */
describe('the web page’s check of an inclusion proof', () => {
  let ledger: TestLedger;
  let key: string;
  let proof: InclusionProof;

  beforeAll(async () => {
    ledger = await TestLedger.start();
    await inviteThroughReseller(ledger);
    const [registered] = await ledger.store.readStream('customer-contoso');
    const get = (path: string, query: object = {}) => request(ledger.app.getHttpServer()).get(path).query(query).set('Authorization', `Bearer ${TOKENS.admin}`).expect(200);
    key = (await get('/audit/checkpoint/key')).body.verifierKey;
    proof = (await get('/audit/proofs/inclusion', { eventId: registered.id })).body;
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('accepts the ledger’s proof with the ledger’s key', async () => {
    await expect(checkInclusion(proof, key)).resolves.toEqual({
      ok: true, lines: [expect.stringMatching(/^event .* \(customer-contoso revision 0\) is leaf 3 of relationship-ledger\/[0-9a-f]{16} at tree size 5, signed by the key given$/)],
    });
  });

  it('finds an event whose content was altered', async () => {
    const altered = { ...proof, event: { ...proof.event, data: { ...(proof.event.data as object), name: 'Not Contoso' } } };
    await expect(checkInclusion(altered, key)).resolves.toEqual({ ok: false, lines: [expect.stringContaining('content does not hash to the leaf')] });
  });

  it('finds an audit path that does not lead to the root', async () => {
    const path = [...proof.proof];
    path[0] = Buffer.alloc(32, 7).toString('base64');
    await expect(checkInclusion({ ...proof, proof: path }, key)).resolves.toEqual({ ok: false, lines: [expect.stringContaining('audit path does not lead')] });
  });

  it('rejects a checkpoint signed by another key, or a key that is not one', async () => {
    // The base64 part may itself hold '+', so only the first two are separators.
    const [name, id] = key.split('+');
    const raw = key.slice(name.length + id.length + 2);
    const other = `${name}+${id}+${Buffer.from([1, ...Buffer.alloc(32, 9)]).toString('base64')}`;
    await expect(checkInclusion(proof, other)).resolves.toEqual({ ok: false, lines: [expect.stringContaining('checkpoint rejected')] });
    // Twelve characters are base64 for nine bytes, too few; nine are not base64 at all.
    for (const cut of [raw.slice(0, 12), raw.slice(0, 9)]) {
      await expect(checkInclusion(proof, `${name}+${id}+${cut}`)).resolves.toEqual({
        ok: false, lines: ['checkpoint rejected: The verifier key is not name+keyid+base64(0x01 || Ed25519 public key)'],
      });
    }
  });

  it('finds an audit path whose step is not base64', async () => {
    const path = [...proof.proof];
    path[0] = 'abcde';
    await expect(checkInclusion({ ...proof, proof: path }, key)).resolves.toEqual({ ok: false, lines: [expect.stringContaining('audit path does not lead')] });
  });
});
