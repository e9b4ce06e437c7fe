import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReadSide } from '@ledger/read-models';
import type { Clock } from '../clock';

/** The service's Prometheus metrics, in a registry of its own (one per application instance). */
export class LedgerMetrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'ledger_commands_total', help: 'Commands by type and outcome (accepted, replayed, refused, failed).',
    labelNames: ['command', 'outcome'] as const, registers: [this.registry],
  });

  readonly refusals = new Counter({
    name: 'ledger_refusals_total', help: 'Refused commands by code (the rule id where a rule refused).',
    labelNames: ['code'] as const, registers: [this.registry],
  });

  readonly schedulerFailures = new Counter({
    name: 'ledger_scheduler_failures_total', help: 'Due facts the scheduler could not record on a run, by kind; it tries them again.',
    labelNames: ['kind'] as const, registers: [this.registry],
  });

  readonly tokenReloads = new Counter({
    name: 'ledger_tokens_file_reloads_total', help: 'Changes of the tokens file, by outcome (applied, or rejected and the old tokens kept).',
    labelNames: ['outcome'] as const, registers: [this.registry],
  });

  readonly auditDigests = new Counter({
    name: 'ledger_audit_digests_total', help: 'Digests of the log computed; callers asking for one position at once share one.',
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'ledger_http_request_duration_seconds', help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const, registers: [this.registry],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });

  constructor(readSide: ReadSide, clock: Clock) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 5 });
    // Both lag gauges are collected in one scrape: measure once (counting the log is not free on EventStoreDB).
    let measured: { at: number; lag: Promise<{ events: number; seconds: number }> } | undefined;
    const lag = (): Promise<{ events: number; seconds: number }> => {
      if (!measured || Date.now() - measured.at > 1000) measured = { at: Date.now(), lag: readSide.lag(clock.now()) };
      return measured.lag;
    };
    // A scrape answers even when the store does not: a lag that cannot be measured is NaN, not a failed scrape.
    const lagOr = async (pick: (measured: { events: number; seconds: number }) => number): Promise<number> => {
      try {
        return pick(await lag());
      } catch {
        measured = undefined;
        return Number.NaN;
      }
    };
    new Gauge({
      name: 'ledger_projector_lag_events', help: 'Events in the log the read models have not applied yet (NaN while the store does not answer).',
      registers: [this.registry],
      async collect() {
        this.set(await lagOr((measured) => measured.events));
      },
    });
    new Gauge({
      name: 'ledger_projector_lag_seconds', help: 'Age of the oldest event the read models have not applied yet (NaN while the store does not answer).',
      registers: [this.registry],
      async collect() {
        this.set(await lagOr((measured) => measured.seconds));
      },
    });
    new Gauge({
      name: 'ledger_projector_up', help: '1 while the projector runs, 0 while it is stopped or failed.', registers: [this.registry],
      collect() {
        this.set(readSide.projectorState === 'running' ? 1 : 0);
      },
    });
  }
}
