import type { CustomerEvent } from '../customer/customer.events';
import type { PartnerEvent } from '../partner/partner.events';
import { type CustomerView, evolveCustomerView } from '../projections/customer-view';
import { type Deadline, deadlineChanges } from '../projections/deadlines';
import { evolvePartnerView, type PartnerView } from '../projections/partner-view';
import type { ProjectedEvent } from '../projections/projected-event';

/** Gives each event an id `e1`, `e2`, … and a recording time a day apart from 2026-03-01. */
export function projected<E extends CustomerEvent | PartnerEvent>(events: E[]): Array<ProjectedEvent<E>> {
  return events.map((event, i) => ({
    ...event,
    id: `e${i + 1}`,
    recordedAt: new Date(Date.UTC(2026, 2, 1 + i)).toISOString(),
  }));
}

export function customerViewOf(events: CustomerEvent[]): CustomerView | null {
  return projected(events).reduce<CustomerView | null>(evolveCustomerView, null);
}

export function partnerViewOf(events: PartnerEvent[]): PartnerView | null {
  return projected(events).reduce<PartnerView | null>(evolvePartnerView, null);
}

/** The deadlines still due after the events, in the order they were first set. */
export function deadlinesOf(events: CustomerEvent[]): Deadline[] {
  const due = new Map<string, Deadline>();
  const keyOf = (d: Omit<Deadline, 'dueAt'>): string => `${d.customerId}/${d.kind}/${d.refId}`;
  for (const change of events.flatMap(deadlineChanges)) {
    if ('set' in change) due.set(keyOf(change.set), change.set);
    else due.delete(keyOf(change.clear));
  }
  return [...due.values()];
}
