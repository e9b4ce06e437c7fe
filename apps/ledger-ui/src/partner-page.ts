import { RIGHTS } from '@ledger/domain';
import { allPages, answered, ApiError, type LedgerClient } from './api';
import { type Column, toCsv } from './csv';
import { download, el, table, when } from './dom';

const WITHIN_DAYS = [1, 7, 30] as const;

/** One line of the partner view, whichever section it is in: what the CSV export holds. */
interface PartnerRow {
  readonly section: string;
  readonly customerId: string;
  readonly detail: string;
  readonly endsAt: string | null;
}

const COLUMNS: Column<PartnerRow>[] = [
  { heading: 'section', value: (r) => r.section },
  { heading: 'customer', value: (r) => r.customerId },
  { heading: 'detail', value: (r) => r.detail },
  { heading: 'ends', value: (r) => r.endsAt },
];

interface Ending {
  readonly kind: string;
  readonly customerId: string;
  readonly ref: string;
  readonly roles: readonly string[];
  readonly endsAt: string;
  readonly autoExtend?: boolean;
}

/** The partner view: its customers by right, its resellers' customers (for an indirect provider), and what ends within 30, 7 and 1 days. */
export async function showPartner(client: LedgerClient, partnerId: string, target: HTMLElement): Promise<void> {
  target.replaceChildren(el('p', { role: 'status' }, `Loading ${partnerId} …`));
  const profile = await answered(client.GET('/partners/{partnerId}', { params: { path: { partnerId } } }));
  const rows: PartnerRow[] = [];
  const sections: HTMLElement[] = [];

  for (const right of RIGHTS) {
    const { items, complete } = await allPages((cursor) => client.GET('/partners/{partnerId}/customers', { params: { path: { partnerId }, query: { right, cursor, limit: 1000 } } }));
    const lines = items.map((c) => ({ section: `may ${right}`, customerId: c.customerId, detail: c.via.map((v) => `${v.role} ${v.refId}`).join('; '), endsAt: c.via.map((v) => v.endsAt).sort()[0] ?? null }));
    rows.push(...lines);
    sections.push(table(`Customers it may ${right} for${complete ? '' : ' (the first pages)'}: ${items.length}`, ['customer', 'through', 'ends'],
      lines.map((l) => [el('a', { href: `#/customer/${encodeURIComponent(l.customerId)}` }, l.customerId), l.detail, when(l.endsAt)])));
  }

  if (profile.program === 'indirect-provider') {
    const { items } = await allPages((cursor) => client.GET('/partners/{providerId}/reseller-customers', { params: { path: { providerId: partnerId }, query: { cursor, limit: 1000 } } }));
    const lines = items.map((c) => ({ section: `reseller ${c.resellerId}`, customerId: c.customerId, detail: `relationship ${c.relationshipId}`, endsAt: null }));
    rows.push(...lines);
    sections.push(table(`Its resellers’ customers: ${items.length}`, ['reseller', 'customer', 'relationship'],
      items.map((c) => [c.resellerId, el('a', { href: `#/customer/${encodeURIComponent(c.customerId)}` }, c.customerId), c.relationshipId])));
  }

  const endings = await endingWithin(client, partnerId);
  for (const days of WITHIN_DAYS) {
    const within = endings.get(days) ?? [];
    rows.push(...within.map((e) => ({ section: `ends within ${days} days`, customerId: e.customerId, detail: `${e.kind} ${e.ref} (${e.roles.join(', ')})`, endsAt: e.endsAt })));
    sections.push(table(`Ending within ${days} day${days === 1 ? '' : 's'}: ${within.length}`, ['customer', 'what', 'roles', 'ends', 'then'],
      within.map((e) => [e.customerId, `${e.kind} ${e.ref}`, e.roles.join(', '), when(e.endsAt), e.autoExtend ? 'extends by 180 days' : 'ends'])));
  }

  target.replaceChildren(
    el('h2', {}, `${profile.name} `, el('span', { class: 'muted' }, `(${profile.partnerId}, ${profile.program}, ${profile.cloud} cloud)`)),
    el('button', { type: 'button', onclick: () => download(`${partnerId}-partner-view.csv`, toCsv(rows, COLUMNS)) }, 'Export this view (CSV)'),
    ...sections,
  );
}

/** Delegated admin grants and GDAP relationships of the partner ending within each of 1, 7 and 30 days, by the ledger's clock. */
async function endingWithin(client: LedgerClient, partnerId: string): Promise<Map<number, Ending[]>> {
  const found = new Map<number, Ending[]>();
  for (const withinDays of WITHIN_DAYS) {
    const query = { partnerId, withinDays, limit: 1000 };
    try {
      const grants = await answered(client.GET('/delegated-admin-grants/expiring', { params: { query } }));
      const gdap = await answered(client.GET('/gdap-relationships/expiring', { params: { query } }));
      found.set(withinDays, [
        ...grants.items.map((g) => ({ kind: 'delegated admin', customerId: g.customerId, ref: g.grantId, roles: g.roles, endsAt: g.endsAt })),
        ...gdap.items.map((g) => ({ kind: 'GDAP', customerId: g.customerId, ref: g.gdapId, roles: g.roles, endsAt: g.endsAt, autoExtend: g.autoExtend })),
      ].sort((a, b) => a.endsAt.localeCompare(b.endsAt)));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 403)) throw error;
    }
  }
  return found;
}
