import { Controller, Get, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { join } from 'node:path';
import { backupDataDir, BackupRefused, type BackupResult, EventStore } from '@ledger/event-store';
import { ReadSide, type RebuildStatus } from '@ledger/read-models';
import { Public, RequireScope } from '../auth/auth.guard';
import { Clock } from '../clock';
import type { LedgerConfig } from '../config/ledger-config';
import { LEDGER_CONFIG } from '../config/config.token';
import { ApiAnswer, ApiProblems, GUARDED } from '../http/api-contract';
import { BACKUP, HEALTH, REBUILD_STATUS } from '../http/answer-schemas';
import { HttpProblem } from '../problems/http-problem';
import { LedgerMetrics } from './metrics';
import { StoreHealth } from './store-health';

/** Liveness and readiness (public, for probes), metrics (public unless configured otherwise), the rebuild and backups (system scope). */
@ApiTags('operations')
@Controller()
export class OperationsController {
  private backingUp?: Promise<BackupResult>;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly store: EventStore,
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
    private readonly metrics: LedgerMetrics,
    private readonly storeHealth: StoreHealth,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'The process answers' })
  @ApiAnswer(200, 'Alive.', HEALTH)
  @HealthCheck({ swaggerDocumentation: false })
  live() {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({
    summary: 'The event store answers and takes writes, and the read models are no further behind than LEDGER_READY_MAX_LAG_EVENTS',
  })
  @HealthCheck({ swaggerDocumentation: false })
  @ApiAnswer(200, 'Ready: the store answers and the read models are caught up.', HEALTH)
  @ApiAnswer(503, 'Not ready: see details.', HEALTH, ['Retry-After'])
  ready() {
    return this.health.check([
      async () => {
        const check = this.indicators.check('eventStore');
        const fault = this.storeHealth.fault;
        if (fault) return check.down({ ...fault });
        try {
          const head = await this.store.headPosition();
          return check.up({ head: head ? head.commit.toString() : null });
        } catch (error) {
          return check.down({ message: (error as Error).message });
        }
      },
      async () => {
        const check = this.indicators.check('projector');
        const state = this.readSide.available ? this.readSide.projectorState : 'rebuilding-damaged-read-models';
        try {
          const lag = await this.readSide.lag(this.clock.now());
          // A projection being built by itself (new, or its version raised) does not hold readiness back: the others serve.
          const building = this.readSide.projections.filter((p) => p.state === 'building').map((p) => p.name);
          const details = { state, lagEvents: lag.events, lagSeconds: lag.seconds, maxLagEvents: this.config.readyMaxLagEvents, building };
          const ok = this.readSide.available && state !== 'failed' && lag.events <= this.config.readyMaxLagEvents;
          return ok ? check.up(details) : check.down(details);
        } catch (error) {
          return check.down({ state, message: `The lag cannot be measured: ${(error as Error).message}` });
        }
      },
    ]);
  }

  @Post('admin/read-models/rebuild')
  @RequireScope('system')
  @HttpCode(202)
  @Header('Location', '/admin/read-models/rebuild')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start rebuilding the read models from the start of the log; the old copy serves until the new one is caught up',
    description: 'Answers 202 at once; poll the Location (GET) for the outcome. A request while one runs joins it.',
  })
  @ApiAnswer(202, 'Started, or joined the one running.', REBUILD_STATUS, ['Location'])
  @ApiProblems(...GUARDED)
  rebuild(): RebuildStatus {
    // The outcome is kept in the status; a failure is reported there (and logged by the read side's owner).
    this.readSide.rebuild().catch(() => undefined);
    return this.readSide.rebuildStatus;
  }

  @Get('admin/read-models/rebuild')
  @RequireScope('system')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The latest rebuild: running, succeeded (events, seconds) or failed (error)' })
  @ApiAnswer(200, 'The latest rebuild.', REBUILD_STATUS)
  @ApiProblems(...GUARDED)
  rebuildStatus(): RebuildStatus {
    return this.readSide.rebuildStatus;
  }

  @Post('admin/backups')
  @RequireScope('system')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Take a backup of the log, the refusal log and the signed checkpoints into LEDGER_BACKUP_DIR, while the service keeps writing',
    description: 'The copy is verified before it is written; the answer names the file, the position it covers and its digest '
      + '(restore with `ledger restore`). One at a time (409 BACKUP_IN_PROGRESS); on EventStoreDB the cluster is backed up instead '
      + '(409 BACKUP_NOT_AVAILABLE).',
  })
  @ApiAnswer(201, 'Written and verified.', BACKUP)
  @ApiProblems(...GUARDED, 409)
  async backup() {
    if (this.config.eventStoreUrl) {
      throw new HttpProblem(409, 'BACKUP_NOT_AVAILABLE', 'The log lives in EventStoreDB: back the cluster up with its own tools (docs/operations.md).');
    }
    if (this.backingUp) throw new HttpProblem(409, 'BACKUP_IN_PROGRESS', 'A backup is being taken; ask again when it is done.');
    const createdAt = this.clock.now();
    const file = join(this.config.backupDir, `ledger-${createdAt.toISOString().replace(/[-:.]/g, '')}.tar`);
    this.backingUp = backupDataDir(this.config.dataDir, file, () => createdAt);
    try {
      const { manifest, seconds } = await this.backingUp;
      return { file, seconds, ...manifest };
    } catch (error) {
      if (error instanceof BackupRefused) throw new HttpProblem(409, 'BACKUP_REFUSED', error.message);
      throw error;
    } finally {
      this.backingUp = undefined;
    }
  }

  @Get('metrics')
  @RequireScope('metrics', { publicWhen: 'metricsPublic' })
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Prometheus metrics (the metrics scope, or none when LEDGER_METRICS_PUBLIC is set)' })
  @ApiAnswer(200, 'The metrics, in Prometheus’ text format.', { type: 'string' }, [], 'text/plain')
  @ApiProblems(...GUARDED)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
