import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStore, RefusalLog, SqliteEventStore, SqliteRefusalLog } from '@ledger/event-store';
import { AuthGuard } from './auth/auth.guard';
import { TokenRegistry } from './auth/token-registry';
import { Clock, SystemClock } from './clock';
import { CommandRunner } from './commands/command-runner';
import { LedgerCommands, SubmitCommandHandler } from './commands/submit-command';
import type { LedgerConfig, TokenDefinition } from './config/ledger-config';
import { CustomerRelationshipsController } from './customers/customer-relationships.controller';
import { CustomersController } from './customers/customers.controller';
import { PartnersController } from './partners/partners.controller';
import { ProblemDetailsFilter } from './problems/problem-details.filter';

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export interface LedgerModuleOptions {
  readonly config: LedgerConfig;
  readonly tokens: readonly TokenDefinition[];
  /** Replaces the system clock (tests move time). */
  readonly clock?: Clock;
}

/** Closes the stores when the application shuts down, after Nest has stopped taking requests. */
class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(RefusalLog) private readonly refusals: RefusalLog,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.refusals.close();
  }
}

@Module({})
export class LedgerModule {
  static register(options: LedgerModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: LedgerModule,
      imports: [CqrsModule.forRoot()],
      controllers: [PartnersController, CustomersController, CustomerRelationshipsController],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: TokenRegistry, useValue: new TokenRegistry(options.tokens) },
        {
          provide: EventStore,
          useFactory: () => {
            mkdirSync(config.dataDir, { recursive: true });
            return new SqliteEventStore({ file: join(config.dataDir, 'events.sqlite') });
          },
        },
        { provide: RefusalLog, useFactory: () => new SqliteRefusalLog(join(config.dataDir, 'refusals.sqlite')) },
        {
          provide: CommandRunner,
          inject: [EventStore, RefusalLog, Clock],
          useFactory: (store: EventStore, refusals: RefusalLog, clock: Clock) =>
            new CommandRunner(store, refusals, clock, { policy: config.policy, maxAttempts: config.commandAttempts }),
        },
        SubmitCommandHandler,
        LedgerCommands,
        StoreLifecycle,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [EventStore, RefusalLog, CommandRunner, Clock],
    };
  }
}
