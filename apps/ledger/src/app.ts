import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Clock } from './clock';
import type { LedgerConfig } from './config/ledger-config';
import { assertEveryRouteDeclaresAccess } from './auth/route-table';
import { resolveTokens } from './auth/token-registry';
import { correlationIdMiddleware } from './http/correlation-id';
import { sharedProblems } from './http/api-contract';
import { WEB_PAGE_PATH, webPage } from './http/web-page';
import { jsonBody } from './http/json-body';
import { ledgerValidationPipe } from './http/validation';
import { LedgerModule, LOGGER } from './ledger.module';
import { LedgerMetrics } from './operations/metrics';
import { requestLog } from './operations/request-log';
import { Tracing, tracingMiddleware } from './operations/tracing';

export interface CreateLedgerAppOptions {
  readonly clock?: Clock;
  /** No logs at all (tests). */
  readonly quiet?: boolean;
  /** Where spans go (tests); otherwise traces are exported by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, and off when not. */
  readonly spanProcessor?: SpanProcessor;
}

export interface LedgerApp {
  readonly app: INestApplication;
  /** The local admin token when this start created it (print it once), else undefined. */
  readonly createdAdminToken?: string;
  readonly adminTokenFile?: string;
  /** Whether the built web page is served at /ui/. */
  readonly webPage: boolean;
}

/**
 * helmet's default policy, loosened only as far as the pages at /docs and /ui/ need: they style themselves
 * inline (Swagger UI, the chart) and show data: images. Scripts stay same-origin. Without
 * upgrade-insecure-requests: the service speaks plain HTTP itself, and a browser told to upgrade would ask
 * for the pages' scripts and the API over HTTPS, which a replica reached at http://host:3000 does not answer.
 */
const PAGES_CSP = { styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], upgradeInsecureRequests: null };

/**
 * The API document: the contract the typed client (libs/client) is generated from. Operation ids are the
 * controller's area and the method (`customersRegister`), so they change only when the code is renamed, and a
 * test compares the document with the committed one.
 */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return sharedProblems(SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Relationship Ledger')
    .setDescription('System of record for multichannel cloud-solution-partner relationships. Rules: docs/rules.md. ' +
      'Every error is RFC 9457 problem+json with a stable `code`.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: undefined, description: 'A token from the ledger’s tokens (opaque), or an OIDC access token when OIDC is configured.' })
    .build(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}${method.replace(/^./, (c) => c.toUpperCase())}`,
  }));
}

/** Builds the ledger's HTTP application: the one place main, the tests and the benchmarks start it from. */
export async function createLedgerApp(config: LedgerConfig, options: CreateLedgerAppOptions = {}): Promise<LedgerApp> {
  const tokens = resolveTokens(config);
  const tracing = Tracing.create(process.env, options.spanProcessor);
  const effective = options.quiet ? { ...config, logLevel: 'silent' as const } : config;
  const app = await NestFactory.create<NestExpressApplication>(
    LedgerModule.register({ config: effective, tokens: tokens.definitions, clock: options.clock, tracing }),
    { bodyParser: false, bufferLogs: true, abortOnError: false },
  );
  app.useLogger(options.quiet ? false : app.get(Logger));
  if (tracing.tracer) app.use(tracingMiddleware(tracing.tracer));
  app.use(correlationIdMiddleware);
  app.use(requestLog(app.get(LOGGER), app.get(LedgerMetrics)));
  app.use(helmet({ contentSecurityPolicy: { directives: PAGES_CSP } }));
  const page = webPage(config.uiDir);
  if (page) app.use(WEB_PAGE_PATH, page);
  app.use(jsonBody(config.bodyLimitBytes));
  app.useGlobalPipes(ledgerValidationPipe());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  app.set('etag', false);

  SwaggerModule.setup('docs', app, apiDocument(app), { jsonDocumentUrl: 'docs-json' });
  await app.init();
  assertEveryRouteDeclaresAccess(app);
  return { app, createdAdminToken: tokens.created, adminTokenFile: tokens.adminTokenFile, webPage: page !== undefined };
}
