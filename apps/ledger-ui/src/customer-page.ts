import type { CustomerView, PartnerRights } from '@ledger/domain';
import { allPages, answered, ApiError, type LedgerClient } from './api';
import { timelineChart } from './chart';
import { type Column, toCsv } from './csv';
import { download, el, table, when } from './dom';
import { checkInclusion, type InclusionProof } from './proof';
import { type Bar, type HistoryEvent, momentsOf, type Refusal, type Timeline, timelineOf } from './timeline';

interface RightRow {
  readonly partnerId: string;
  readonly right: string;
  readonly until: string | null;
  readonly roles: string;
  readonly reasons: string;
  readonly eventIds: readonly string[];
}

const RIGHT_COLUMNS: Column<RightRow>[] = [
  { heading: 'partner', value: (r) => r.partnerId },
  { heading: 'right', value: (r) => r.right },
  { heading: 'until', value: (r) => r.until },
  { heading: 'roles', value: (r) => r.roles },
  { heading: 'reasons', value: (r) => r.reasons },
  { heading: 'events', value: (r) => r.eventIds.join(' ') },
];

const SPAN_COLUMNS: Column<Bar>[] = [
  { heading: 'partner', value: (b) => b.lane },
  { heading: 'kind', value: (b) => b.kind },
  { heading: 'what', value: (b) => b.label },
  { heading: 'from', value: (b) => b.from },
  { heading: 'to', value: (b) => b.to },
  { heading: 'ending', value: (b) => b.ending },
  { heading: 'events', value: (b) => b.eventIds.join(' ') },
];

function rightRows(partners: readonly PartnerRights[]): RightRow[] {
  return partners.flatMap((p) => p.rights.map((r) => ({
    partnerId: p.partnerId, right: r.right, until: r.until, roles: (r.roles ?? []).join(', '),
    reasons: r.reasons.map((reason) => `${reason.rule}: ${reason.detail}`).join('; '), eventIds: r.reasons.flatMap((reason) => reason.eventIds),
  })));
}

/** What a panel the credential may not read says instead. */
function unavailable(what: string, error: unknown): HTMLElement {
  return el('p', { class: 'notice', role: 'status' }, `${what}: ${error instanceof ApiError ? error.message : String(error)}`);
}

/** Reads `what`, or the reason it cannot be read with this credential. */
async function optional<T>(read: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await read };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return { error };
    throw error;
  }
}

const eventLink = (id: string) => el('a', { href: `#event-${id}`, class: 'event-id' }, id.slice(0, 8));

/**
 * The customer view: its timeline, the rights at the time cursor with their reasons, its events with their
 * evidence, and its refused commands. What the credential may not read is said, not hidden.
 */
export async function showCustomer(client: LedgerClient, customerId: string, target: HTMLElement): Promise<void> {
  const path = { customerId };
  target.replaceChildren(el('p', { role: 'status' }, `Loading ${customerId} …`));
  const [view, current] = await Promise.all([
    answered(client.GET('/customers/{customerId}/ownership', { params: { path } })) as Promise<unknown> as Promise<CustomerView>,
    answered(client.GET('/customers/{customerId}/support-rights', { params: { path } })),
  ]);
  const [history, refusals] = await Promise.all([
    optional(allPages((cursor) => client.GET('/customers/{customerId}/history', { params: { path, query: { cursor, limit: 1000 } } }))),
    optional(allPages((cursor) => client.GET('/audit/refusals', { params: { query: { cursor, limit: 1000 } } }))),
  ]);
  const events = 'value' in history ? (history.value.items as unknown as HistoryEvent[]) : [];
  const shortOf = (read: typeof history | typeof refusals, what: string) =>
    'value' in read && !read.value.complete ? el('p', { class: 'notice', role: 'status' }, `Only the first ${read.value.items.length} ${what} were read.`) : null;
  const refused = 'value' in refusals ? (refusals.value.items as unknown as Refusal[]).filter((r) => r.stream === `customer-${customerId}`) : [];
  const timeline = timelineOf(view, events, refused, current.evaluatedAt);

  const cursorPanel = el('section', { 'aria-labelledby': 'as-of-heading' });
  const chartBox = el('div', { class: 'chart' });
  target.replaceChildren(
    el('h2', {}, `${view.name} `, el('span', { class: 'muted' }, `(${view.customerId}, ${view.cloud} cloud, registered ${when(view.registeredAt)})`)),
    el('section', { 'aria-labelledby': 'timeline-heading' },
      el('h3', { id: 'timeline-heading' }, 'Timeline'),
      el('p', { class: 'muted' }, 'A band per partner: its reseller relationships, delegated admin, GDAP and subscriptions as partner of record, ' +
        'and its events (dots) and refused commands (crosses). Faded spans have ended.'),
      chartBox,
      el('button', { type: 'button', onclick: () => download(`${customerId}-timeline.csv`, toCsv(timeline.bars, SPAN_COLUMNS)) }, 'Export spans (CSV)')),
    cursorPanel,
    evidencePanel(client, events, 'value' in history ? null : history.error, shortOf(history, 'events of the customer')),
    el('section', { 'aria-labelledby': 'refusals-heading' },
      el('h3', { id: 'refusals-heading' }, 'Refused commands'),
      shortOf(refusals, 'refusals of the whole log'),
      'value' in refusals
        ? table(`${refused.length} refused commands on ${customerId}`, ['time', 'rule', 'command', 'actor', 'client', 'why'],
          refused.map((r) => [when(r.recordedAt), r.code, r.commandType, `${r.actor.kind}:${r.actor.id}`, r.client, r.message]))
        : unavailable('Refused commands', refusals.error)),
  );
  const chart = timelineChart(timeline, Math.max(640, chartBox.clientWidth || 1200));
  const rule = el('div', { class: 'cursor', 'aria-hidden': 'true' });
  chartBox.append(chart.element, rule);
  const [area, box] = [chart.plotArea().getBoundingClientRect(), chartBox.getBoundingClientRect()];
  rule.style.top = `${area.top - box.top}px`;
  rule.style.height = `${area.height}px`;
  asOfPanel(client, customerId, timeline, current.evaluatedAt, cursorPanel, (at) => {
    rule.style.left = `${chart.x(at)}px`;
  });
}

/**
 * The time cursor: moves over the moments the rights may have changed (to grants' ends still ahead, too),
 * starting at the ledger's now, and shows the rights then (the as-of query).
 */
function asOfPanel(client: LedgerClient, customerId: string, timeline: Timeline, now: string, panel: HTMLElement, moved: (at: string) => void): void {
  const moments = [...new Set([...momentsOf(timeline), now])].sort();
  const start = moments.indexOf(now);
  const slider = el('input', { type: 'range', id: 'as-of', min: 0, max: moments.length - 1, step: 1, value: start, 'aria-valuetext': when(now) });
  const shown = el('output', { for: 'as-of', id: 'as-of-time' }, when(now));
  const picker = el('input', { type: 'datetime-local', id: 'as-of-picker', step: 60, 'aria-label': 'Or a time (UTC)' });
  const rights = el('div', { 'aria-live': 'polite' });
  let rows: RightRow[] = [];
  let asked = 0;
  let at = now;

  const load = async (moment: string) => {
    at = moment;
    shown.textContent = when(moment);
    slider.setAttribute('aria-valuetext', when(moment));
    moved(moment);
    const ticket = ++asked;
    try {
      const answer = await answered(client.GET('/customers/{customerId}/support-rights', { params: { path: { customerId }, query: { asOf: moment } } }));
      if (ticket !== asked) return;
      rows = rightRows(answer.partners as unknown as PartnerRights[]);
      rights.replaceChildren(table(`Rights as of ${when(answer.evaluatedAt)}`, ['partner', 'right', 'until', 'roles', 'why', 'events'],
        rows.map((r) => [r.partnerId, r.right, when(r.until), r.roles, r.reasons, el('span', {}, r.eventIds.map(eventLink))])));
    } catch (error) {
      if (ticket === asked) rights.replaceChildren(unavailable('Rights', error));
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  slider.addEventListener('input', () => {
    clearTimeout(timer);
    const moment = moments[Number(slider.value)];
    shown.textContent = when(moment);
    moved(moment);
    timer = setTimeout(() => void load(moment), 120);
  });
  picker.addEventListener('change', () => {
    if (!picker.value) return;
    const moment = new Date(`${picker.value}:00Z`).toISOString();
    const index = moments.findIndex((m) => m > moment);
    slider.value = String(index < 0 ? moments.length - 1 : Math.max(0, index - 1));
    void load(moment);
  });
  const step = (by: number) => () => {
    slider.value = String(Math.min(moments.length - 1, Math.max(0, Number(slider.value) + by)));
    void load(moments[Number(slider.value)]);
  };
  panel.replaceChildren(
    el('h3', { id: 'as-of-heading' }, 'As of'),
    el('div', { class: 'cursor-controls' },
      el('button', { type: 'button', onclick: step(-1), 'aria-label': 'Previous change' }, '◀'),
      el('label', { for: 'as-of' }, 'Time cursor '), slider,
      el('button', { type: 'button', onclick: step(1), 'aria-label': 'Next change' }, '▶'),
      shown, el('label', { for: 'as-of-picker' }, 'or a time (UTC) '), picker,
      el('button', { type: 'button', onclick: () => download(`${customerId}-rights-${at}.csv`, toCsv(rows, RIGHT_COLUMNS)) }, 'Export rights (CSV)')),
    rights,
  );
  void load(now);
}

/** Each event with who acted, through which client, when, its hash, and a check of its inclusion proof in the browser. */
function evidencePanel(client: LedgerClient, events: readonly HistoryEvent[], error: unknown, shortOf: HTMLElement | null): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'evidence-heading' }, el('h3', { id: 'evidence-heading' }, 'Events and evidence'), shortOf);
  if (error) {
    section.append(unavailable('The history', error));
    return section;
  }
  const key = el('input', { id: 'verifier-key', size: 60, 'aria-describedby': 'verifier-key-help' });
  section.append(
    el('p', {}, el('label', { for: 'verifier-key' }, 'Verifier key '), key,
      el('span', { id: 'verifier-key-help', class: 'muted' }, ' (the ledger’s, from /audit/checkpoint/key; replace it with the one you keep)')),
  );
  void answered(client.GET('/audit/checkpoint/key')).then((k) => {
    if (!key.value) key.value = k.verifierKey;
  }, () => undefined);
  const verify = (event: HistoryEvent, cell: HTMLElement) => async () => {
    cell.textContent = 'checking …';
    try {
      const proof = await answered(client.GET('/audit/proofs/inclusion', { params: { query: { eventId: event.id } } }));
      const verdict = await checkInclusion(proof as unknown as InclusionProof, key.value);
      cell.replaceChildren(el('span', { class: verdict.ok ? 'ok' : 'bad' }, verdict.ok ? '✓ proven: ' : '✗ not proven: ', verdict.lines.join('; ')));
    } catch (failure) {
      cell.replaceChildren(unavailable('Proof', failure));
    }
  };
  const rows = events.map((event) => {
    const result = el('span', {});
    const m = event.metadata;
    const actor = m.actor as { kind: string; id: string } | undefined;
    return [
      el('span', { id: `event-${event.id}`, tabindex: -1 }, when(String(m.recordedAt))), event.type, actor ? `${actor.kind}:${actor.id}` : '', String(m.client ?? ''),
      event.policy, el('code', { title: String(m.hash) }, String(m.hash).slice(0, 12)),
      el('span', {}, el('button', { type: 'button', onclick: verify(event, result), 'aria-label': `Verify the inclusion of event ${event.id}` }, 'Verify'), ' ', result),
    ];
  });
  section.append(table(`${events.length} events`, ['time', 'event', 'actor', 'client', 'rules', 'hash', 'inclusion proof'], rows));
  return section;
}
