import {
  type Attributes, context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type TextMapGetter, trace, type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { NextFunction, Request, Response } from 'express';

const TRACER_NAME = 'relationship-ledger';
const W3C = new W3CTraceContextPropagator();
/** Reads trace headers from Node's (lower-cased) request headers. */
const HEADERS: TextMapGetter<Record<string, string | string[] | undefined>> = {
  get: (headers, key) => headers[key],
  keys: (headers) => Object.keys(headers),
};

/**
 * The ledger's traces. Off unless an OTLP endpoint is configured (the standard OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or a span processor is given (tests): off, nothing is recorded and the
 * command path runs as it would without it. On, each request is a server span that continues the caller's
 * `traceparent`, with the command and the store's append inside it.
 */
export class Tracing {
  private constructor(
    readonly tracer: Tracer | undefined,
    private readonly provider?: BasicTracerProvider,
  ) {}

  static create(env: NodeJS.ProcessEnv, processor?: SpanProcessor): Tracing {
    const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const spanProcessor = processor ?? (endpoint ? new BatchSpanProcessor(new OTLPTraceExporter()) : undefined);
    if (!spanProcessor) return new Tracing(undefined);
    // Context follows awaits only with a context manager; it is installed once per process, and only when
    // traces are wanted (on Node 20 it costs every promise a hook).
    if (!contextManagerInstalled) {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      contextManagerInstalled = true;
    }
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? TRACER_NAME }),
      spanProcessors: [spanProcessor],
    });
    return new Tracing(provider.getTracer(TRACER_NAME), provider);
  }

  get enabled(): boolean {
    return this.tracer !== undefined;
  }

  /** Sends what is buffered and stops. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }
}

let contextManagerInstalled = false;

/**
 * Runs `work` in a span named `name` (a child of the active one), ending it when `work` settles and marking
 * it failed when `work` throws; without a tracer, just runs `work`.
 */
export function inSpan<T>(tracer: Tracer | undefined, name: string, attributes: Attributes, work: (span?: Span) => Promise<T>): Promise<T> {
  if (!tracer) return work();
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace id of a well-formed W3C `traceparent` header, or undefined. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  if (!traceparent) return undefined;
  const extracted = trace.getSpanContext(W3C.extract(ROOT_CONTEXT, { traceparent }, HEADERS));
  return extracted && trace.isSpanContextValid(extracted) ? extracted.traceId : undefined;
}

/**
 * A server span for each request, continuing the caller's `traceparent` (and `tracestate`), named by its
 * route once the router has matched one, and ended with the answer's status.
 */
export function tracingMiddleware(tracer: Tracer): (request: Request, response: Response, next: NextFunction) => void {
  return (request, response, next) => {
    const parent = W3C.extract(ROOT_CONTEXT, request.headers, HEADERS);
    const span = tracer.startSpan(request.method, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'url.path': request.path },
    }, parent);
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      if (route) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
