import { join } from 'node:path';
import { type DynamicModule, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { type Logger as PinoLogger, pino, symbols } from 'pino';
import {
  ChainedEventStore, encodePositionToken, ensurePrivateDirectory, EventStore, EventStoreDbEventStore, EventStoreDbRefusalLog, MerkleLog, RefusalLog, SqliteEventStore, SqliteRefusalLog,
} from '@ledger/event-store';
import { damagedCopyOf, ReadSide } from '@ledger/read-models';
import { AuditController } from './audit/audit.controller';
import { CheckpointsController } from './audit/checkpoints.controller';
import { defaultOrigin, loadSigningKey, Transparency } from './audit/transparency';
import { AuthGuard } from './auth/auth.guard';
import { TokenRegistry, TokensFileWatcher } from './auth/token-registry';
import { Clock, SystemClock } from './clock';
import { CommandRunner } from './commands/command-runner';
import { SqliteStateSnapshots, StateSnapshots } from './commands/state-snapshots';
import { LedgerCommands, MeteredRunner, SubmitCustomerCommandHandler, SubmitPartnerCommandHandler } from './commands/submit-command';
import { LEDGER_CONFIG } from './config/config.token';
import type { LedgerConfig, TokenDefinition } from './config/ledger-config';
import { CustomerRelationshipsController } from './customers/customer-relationships.controller';
import { GdapController } from './customers/gdap.controller';
import { TransfersController } from './customers/transfers.controller';
import { CustomersController } from './customers/customers.controller';
import { RateLimitGuard } from './http/rate-limit.guard';
import { LedgerMetrics } from './operations/metrics';
import { OperationsController } from './operations/operations.controller';
import { RepeatedLog } from './operations/repeated-log';
import { StoreHealth } from './operations/store-health';
import { Tracing } from './operations/tracing';
import { PartnersController } from './partners/partners.controller';
import { Scheduler } from './scheduler/scheduler';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { ChangeFeedController } from './read/change-feed.controller';
import { CustomerQueriesController } from './read/customer-queries.controller';
import { GdapQueriesController, GrantQueriesController } from './read/grant-queries.controller';
import { PoliciesController } from './read/policies.controller';
import { PartnerQueriesController } from './read/partner-queries.controller';
import { ReadAccess } from './read/read-access';

/** The pino logger: Nest's messages and one line per request (operations/request-log.ts) go to it. */
export const LOGGER = Symbol('LOGGER');

/**
 * The stream pino writes its lines to, a moment after they are logged: where text that must follow the logs
 * goes, and what is flushed before the process ends.
 */
export function logStream(logger: PinoLogger): { write(text: string): void; flushSync?(): void } {
  return (logger as unknown as Record<symbol, ReturnType<typeof logStream>>)[symbols.streamSym];
}

export interface LedgerModuleOptions {
  readonly config: LedgerConfig;
  readonly tokens: readonly TokenDefinition[];
  /** Replaces the system clock (tests move time). */
  readonly clock?: Clock;
  readonly tracing: Tracing;
}

/** The event store the log lives in, under the chaining decorator: SQLite, or EventStoreDB on a cluster. */
const STORE_BACKEND = Symbol('STORE_BACKEND');

/**
 * Starts the projector, the scheduler and the tokens file's watcher once the application is up; on shutdown
 * stops them, then closes the stores.
 */
class StorageLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(RefusalLog) private readonly refusals: RefusalLog,
    @Inject(ReadSide) private readonly readSide: ReadSide,
    @Inject(Scheduler) private readonly scheduler: Scheduler,
    @Inject(TokensFileWatcher) private readonly tokensFile: TokensFileWatcher | null,
    @Inject(StateSnapshots) private readonly snapshots: StateSnapshots,
    @Inject(Transparency) private readonly transparency: Transparency,
    @Inject(Tracing) private readonly tracing: Tracing,
    @Inject(LOGGER) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.readSide.start();
    this.scheduler.start();
    this.transparency.start();
    this.tokensFile?.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    const logger = new Logger('Shutdown');
    logger.log(`Shutting down${signal ? ` on ${signal}` : ''}: new requests are refused, work under way finishes`);
    /** Each step, and what it says of itself when done (if anything). */
    const steps: ReadonlyArray<readonly [string, () => unknown]> = [
      ...(this.tokensFile ? [['stopped watching the tokens file', () => this.tokensFile?.stop()] as const] : []),
      ['stopped the scheduler', () => this.scheduler.stop()],
      ['stopped signing checkpoints', () => this.transparency.stop()],
      ['stopped the projector', async () => {
        const position = this.readSide.position; // stop() closes the read models
        await this.readSide.stop();
        return ` (the read models had reached ${position ? encodePositionToken(position) : 'the start of the log'})`;
      }],
      ['closed the event store', () => this.store.close()],
      ['closed the refusal log', () => this.refusals.close()],
      ['closed the state snapshots', () => this.snapshots.close()],
      ...(this.tracing.enabled ? [['sent the last traces', () => this.tracing.shutdown()] as const] : []),
    ];
    for (const [done, step] of steps) {
      const more = await step();
      logger.log(`${done}${typeof more === 'string' ? more : ''}`);
    }
    logger.log('Shut down');
    logStream(this.logger).flushSync?.(); // the process ends next, and would take the last lines with it (silent: no stream to flush)
  }
}

@Module({})
export class LedgerModule {
  static register(options: LedgerModuleOptions): DynamicModule {
    const { config } = options;
    const logger = pino({ level: config.logLevel });
    return {
      module: LedgerModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: config.logLevel !== 'silent' }),
        // Nest's own logs go through pino; request logs come from the app's request-log middleware. nestjs-pino's
        // per-request context is left off (forRoutes: []): it needs AsyncLocalStorage, whose promise hooks cost
        // the command path about a fifth of its throughput.
        LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] }),
        ...(config.rateLimitPerMinute > 0 ? [ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.rateLimitPerMinute }])] : []),
      ],
      controllers: [
        PartnersController, CustomersController, CustomerRelationshipsController, GdapController, TransfersController,
        CustomerQueriesController, PartnerQueriesController, GrantQueriesController, GdapQueriesController, PoliciesController, OperationsController, AuditController,
        CheckpointsController, ChangeFeedController,
      ],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: Tracing, useValue: options.tracing },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: TokenRegistry, useValue: new TokenRegistry(options.tokens) },
        {
          provide: TokensFileWatcher,
          inject: [TokenRegistry, LedgerMetrics],
          useFactory: (registry: TokenRegistry, metrics: LedgerMetrics) => {
            if (!config.tokensFile || config.tokens) return null;
            const logger = new Logger('Tokens');
            return new TokensFileWatcher(config.tokensFile, registry, {
              intervalMs: config.tokensReloadMs,
              onReload: (count) => {
                metrics.tokenReloads.inc({ outcome: 'applied' });
                logger.log(`The tokens file changed: ${count} credentials in force`);
              },
              onError: (error) => {
                metrics.tokenReloads.inc({ outcome: 'rejected' });
                logger.error(`The tokens file changed but is not usable; the credentials in force stay: ${error.message}`);
              },
            });
          },
        },
        // The store the log lives in; every writer appends through the chaining decorator over it, and readers
        // see the same store through the port.
        {
          provide: STORE_BACKEND,
          useFactory: (): EventStore => {
            ensurePrivateDirectory(config.dataDir);
            if (config.eventStoreUrl) {
              const logger = new Logger('EventStoreDB');
              return new EventStoreDbEventStore({
                connection: config.eventStoreUrl,
                onResubscribe: (error, delayMs) => logger.warn(`Subscription dropped (${String(error)}); resubscribing in ${delayMs} ms`),
              });
            }
            return new SqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
          },
        },
        { provide: ChainedEventStore, inject: [STORE_BACKEND], useFactory: (backend: EventStore) => new ChainedEventStore(backend) },
        { provide: EventStore, useExisting: ChainedEventStore },
        {
          provide: RefusalLog,
          inject: [STORE_BACKEND],
          useFactory: (backend: EventStore) => {
            // On a cluster the refusals live in its log (through the store's own connection), so every replica
            // answers a retried refusal alike.
            if (backend instanceof EventStoreDbEventStore) return new EventStoreDbRefusalLog(backend);
            return new SqliteRefusalLog(join(config.dataDir, 'refusals.sqlite'));
          },
        },
        {
          provide: ReadSide,
          inject: [EventStore],
          useFactory: (store: EventStore) => {
            const logger = new Logger('Projector');
            const repeated = new RepeatedLog();
            return new ReadSide(store, {
              file: join(config.dataDir, 'read-models.sqlite'),
              batchSize: config.projectorBatchSize,
              lingerMs: config.projectorLingerMs,
              onError: (error) => repeated.log(String(error), `The projector failed and restarts from its checkpoint: ${String(error)}`,
                (line) => logger.error(line)),
              onDamaged: (error) => logger.error(`The read models are damaged (${String(error)}); the file is set aside as ` +
                `${damagedCopyOf(join(config.dataDir, 'read-models.sqlite'))} and rebuilt from the log, and queries answer 503 until then`),
            });
          },
        },
        { provide: LedgerMetrics, inject: [ReadSide, Clock], useFactory: (readSide: ReadSide, clock: Clock) => new LedgerMetrics(readSide, clock) },
        { provide: StoreHealth, useValue: new StoreHealth(config.storeFaultWindowMs) },
        {
          provide: StateSnapshots,
          useFactory: () => {
            ensurePrivateDirectory(config.dataDir);
            return new SqliteStateSnapshots(join(config.dataDir, 'state-snapshots.sqlite'));
          },
        },
        {
          provide: CommandRunner,
          inject: [ChainedEventStore, RefusalLog, Clock, StoreHealth, StateSnapshots],
          useFactory: (store: ChainedEventStore, refusals: RefusalLog, clock: Clock, storeHealth: StoreHealth, snapshots: StateSnapshots) =>
            new CommandRunner(store, refusals, clock, {
              policy: config.policy, maxAttempts: config.commandAttempts, storeHealth, snapshots, tracer: options.tracing.tracer,
            }),
        },
        {
          provide: Scheduler,
          inject: [ReadSide, LedgerCommands, Clock, LedgerMetrics],
          useFactory: (readSide: ReadSide, commands: LedgerCommands, clock: Clock, metrics: LedgerMetrics) => {
            const logger = new Logger('Scheduler');
            const repeated = new RepeatedLog();
            return new Scheduler(readSide, commands, clock, {
              intervalMs: config.schedulerIntervalMs,
              onError: (error) => repeated.log(String(error), `A scheduler run failed; the next one retries: ${String(error)}`,
                (line) => logger.error(line)),
              onFailure: (deadline, error) => {
                metrics.schedulerFailures.inc({ kind: deadline.kind });
                repeated.log(`${deadline.kind} ${String(error)}`,
                  `Could not record the ${deadline.kind} of ${deadline.refId} (customer ${deadline.customerId}); the next run retries: ${String(error)}`,
                  (line) => logger.warn(line));
              },
            });
          },
        },
        {
          provide: Transparency,
          inject: [EventStore, Clock],
          useFactory: (store: EventStore, clock: Clock) => {
            ensurePrivateDirectory(config.dataDir);
            const pem = loadSigningKey(config.checkpointKeyFile);
            const logger = new Logger('Checkpoints');
            const repeated = new RepeatedLog();
            return new Transparency(store, new MerkleLog(join(config.dataDir, 'merkle.sqlite')), pem, config.checkpointOrigin ?? defaultOrigin(pem), clock, {
              intervalMs: config.checkpointIntervalMs,
              onError: (error) => repeated.log(String(error), `Signing a checkpoint failed; the next run retries: ${String(error)}`,
                (line) => logger.error(line)),
            });
          },
        },
        MeteredRunner,
        SubmitCustomerCommandHandler,
        SubmitPartnerCommandHandler,
        LedgerCommands,
        ReadAccess,
        StorageLifecycle,
        // Guards run in this order: who calls, then whether that client has made too many calls.
        { provide: APP_GUARD, useClass: AuthGuard },
        ...(config.rateLimitPerMinute > 0 ? [{ provide: APP_GUARD, useClass: RateLimitGuard }] : []),
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [EventStore, RefusalLog, CommandRunner, Clock, ReadSide, Scheduler, LOGGER],
    };
  }
}
