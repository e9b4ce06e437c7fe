import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  addDays, type CommandInput, CommandRefused, type CustomerCommand, customerDecider, type Decider, DEFAULT_LEDGER_POLICY, type LedgerEvent,
  type PartnerCommand, partnerDecider,
} from '@ledger/domain';
import { ChainedEventStore, SqliteEventStore, SqliteRefusalLog } from '@ledger/event-store';
import { parseActor } from '../apps/ledger/src/auth/principal';
import { SystemClock } from '../apps/ledger/src/clock';
import { CommandRunner } from '../apps/ledger/src/commands/command-runner';

/** One command as the benchmark sends it: an HTTP path and body, and the same command for the runner. */
export interface WorkloadCommand {
  readonly actor: string;
  readonly path: string;
  readonly body?: object;
  readonly input: CommandInput<CustomerCommand> | CommandInput<PartnerCommand>;
}

export const PARTNERS: WorkloadCommand[] = [
  { actor: 'operator:bench', path: '/partners', body: { partnerId: 'bench-direct', name: 'Direct', program: 'direct-bill', cloud: 'global' },
    input: { type: 'EnrollPartner', data: { partnerId: 'bench-direct', name: 'Direct', program: 'direct-bill', cloud: 'global' } } },
  { actor: 'operator:bench', path: '/partners', body: { partnerId: 'bench-provider', name: 'Provider', program: 'indirect-provider', cloud: 'global' },
    input: { type: 'EnrollPartner', data: { partnerId: 'bench-provider', name: 'Provider', program: 'indirect-provider', cloud: 'global' } } },
  { actor: 'operator:bench', path: '/partners', body: { partnerId: 'bench-reseller', name: 'Reseller', program: 'indirect-reseller', cloud: 'global' },
    input: { type: 'EnrollPartner', data: { partnerId: 'bench-reseller', name: 'Reseller', program: 'indirect-reseller', cloud: 'global' } } },
  { actor: 'partner:bench-provider', path: '/partners/bench-provider/indirect-resellers', body: { resellerId: 'bench-reseller' },
    input: { type: 'AuthorizeIndirectReseller', data: { providerId: 'bench-provider', resellerId: 'bench-reseller' } } },
];

/**
 * A customer's first days, seven commands: registered with an EA Azure subscription, invited by the provider
 * through its reseller, accepted, a CSP subscription sold, delegated admin granted, and a refused switch (MC-10).
 */
export function customerStory(customerId: string, grantEndsAt: string): WorkloadCommand[] {
  const base = `/customers/${customerId}`;
  const invitationId = `${customerId}-inv`;
  return [
    { actor: 'operator:bench', path: '/customers', body: { customerId, name: customerId, cloud: 'global' },
      input: { type: 'RegisterCustomer', data: { customerId, name: customerId, cloud: 'global', isPartnerTenant: false } } },
    { actor: 'operator:bench', path: `${base}/subscriptions`, body: { subscriptionId: 'azure-ea', kind: 'usage', channel: 'ea' },
      input: { type: 'RecordSubscription', data: { customerId, subscriptionId: 'azure-ea', kind: 'usage', channel: 'ea' } } },
    { actor: 'partner:bench-provider', path: `${base}/invitations`, body: { invitationId, partnerId: 'bench-provider', resellerId: 'bench-reseller' },
      input: { type: 'CreateInvitation', data: { customerId, invitationId, partnerId: 'bench-provider', resellerId: 'bench-reseller' } } },
    { actor: `customer:${customerId}`, path: `${base}/invitations/${invitationId}/acceptance`,
      input: { type: 'AcceptInvitation', data: { customerId, invitationId } } },
    { actor: 'partner:bench-provider', path: `${base}/subscriptions`,
      body: { subscriptionId: 'azure-csp', kind: 'usage', channel: 'csp', partnerOfRecordId: 'bench-provider' },
      input: { type: 'RecordSubscription', data: { customerId, subscriptionId: 'azure-csp', kind: 'usage', channel: 'csp', partnerOfRecordId: 'bench-provider' } } },
    { actor: `customer:${customerId}`, path: `${base}/delegated-admin-grants`,
      body: { grantId: 'g1', partnerId: 'bench-reseller', roles: ['Helpdesk Administrator'], endsAt: grantEndsAt },
      input: { type: 'GrantDelegatedAdmin', data: { customerId, grantId: 'g1', partnerId: 'bench-reseller', roles: ['Helpdesk Administrator'], endsAt: grantEndsAt } } },
    { actor: `customer:${customerId}`, path: `${base}/subscriptions/azure-ea/switch`, body: { targetPartnerId: 'bench-provider' },
      input: { type: 'SwitchSubscription', data: { customerId, subscriptionId: 'azure-ea', targetPartnerId: 'bench-provider' } } },
  ];
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

export function report(label: string, latenciesMs: number[], elapsedMs: number, accepted: number, extra = ''): void {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const perSecond = (n: number) => ((n / elapsedMs) * 1000).toFixed(0);
  const f = (n: number) => n.toFixed(2);
  console.log(`${label}: ${latenciesMs.length} commands in ${(elapsedMs / 1000).toFixed(2)} s = ` +
    `${perSecond(latenciesMs.length)} commands/s, of which ${perSecond(accepted)}/s accepted; ` +
    `latency ms p50 ${f(percentile(sorted, 50))} p95 ${f(percentile(sorted, 95))} p99 ${f(percentile(sorted, 99))} ` +
    `max ${f(sorted[sorted.length - 1])}${extra}`);
}

/** Sends one command; true when it was accepted, false when a rule refused it. */
export type SendCommand = (command: WorkloadCommand, key: string) => Promise<boolean>;

/** Runs `clients` loops, each telling new customers' stories, for `seconds`. */
export async function drive(clients: number, seconds: number, send: SendCommand): Promise<{ latencies: number[]; elapsed: number; accepted: number }> {
  const grantEndsAt = addDays(new Date().toISOString(), 365);
  const latencies: number[] = [];
  let accepted = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let story = 0; performance.now() < deadline; story += 1) {
      const customerId = `c${client}-${story}`;
      for (const [step, command] of customerStory(customerId, grantEndsAt).entries()) {
        const sent = performance.now();
        if (await send(command, `${customerId}-${step}`)) accepted += 1;
        latencies.push(performance.now() - sent);
      }
    }
  }));
  return { latencies, elapsed: performance.now() - started, accepted };
}

const PARTNER_TYPES = new Set(['EnrollPartner', 'MovePartnerToCsp', 'AuthorizeIndirectReseller']);

/** The ledger's command path without HTTP: the command runner on a SQLite store in `dir`, partners enrolled. */
export async function inProcessLedger(dir: string): Promise<{ send: SendCommand; store: SqliteEventStore; close(): Promise<void> }> {
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const refusals = new SqliteRefusalLog(join(dir, 'refusals.sqlite'));
  const runner = new CommandRunner(new ChainedEventStore(store), refusals, new SystemClock(), { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 5 });
  const send: SendCommand = async (command, key) => {
    const decider = (PARTNER_TYPES.has(command.input.type) ? partnerDecider : customerDecider) as Decider<never, LedgerEvent, unknown>;
    const actor = parseActor(command.actor) ?? { kind: 'operator' as const, id: 'bench' };
    try {
      await runner.run(decider, command.input as never, { commandId: key, actor, client: 'bench', credential: { type: 'static-token', client: 'bench' }, correlationId: key });
      return true;
    } catch (error) {
      if (!(error instanceof CommandRefused)) throw error;
      return false;
    }
  };
  for (const [i, command] of PARTNERS.entries()) await send(command, `partner-${i}`);
  return { send, store, close: async () => {
    await store.close();
    await refusals.close();
  } };
}
