import type { INestApplication } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { apiDocument } from '../../apps/ledger/src/app';

/** The headers the ledger itself sets: each must be documented on the answer that carries it. */
const LEDGER_HEADERS = ['x-correlation-id', 'ledger-position', 'etag', 'idempotent-replayed', 'retry-after', 'www-authenticate', 'allow', 'location'];

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  /** Literal segments: the more, the more specific (`/gdap-relationships/established` over `/{gdapId}`). */
  readonly literals: number;
  readonly responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: object }> }>;
}

type Document = ReturnType<typeof apiDocument>;

/**
 * The application's API document as a contract: `findings` says how an answer departs from what its operation
 * documents (a status it does not list, a header of the ledger's it does not name, a media type or a body
 * its schema does not allow). Tests hold every answer they get to it.
 */
export class ApiContract {
  private readonly operations: Operation[] = [];
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly validators = new Map<object, ValidateFunction>();

  constructor(readonly document: Document) {
    this.ajv.addKeyword('example');
    this.ajv.addSchema(nullableToJsonSchema({ components: document.components }), 'api');
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
        const segments = template.split('/').filter(Boolean);
        this.operations.push({
          method: method.toUpperCase(), template, literals: segments.filter((s) => !s.startsWith('{')).length,
          pattern: new RegExp(`^/${segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
          responses: operation.responses as Operation['responses'],
        });
      }
    }
    this.operations.sort((a, b) => b.literals - a.literals);
  }

  static of(app: INestApplication): ApiContract {
    return new ApiContract(apiDocument(app));
  }

  /** The operation a request is for, if the document has one. */
  operation(method: string, path: string): Operation | undefined {
    const bare = path.split('?')[0];
    return this.operations.find((op) => op.method === method && op.pattern.test(bare));
  }

  /** How the answer to `method path` departs from the document: empty when it conforms. */
  findings(response: Response): string[] {
    const request = (response as unknown as { req: { method: string; path: string } }).req;
    const what = `${request.method} ${request.path} → ${response.status}`;
    const operation = this.operation(request.method, request.path);
    if (!operation) {
      // No operation: only the router's own answers (no such path, or not with this method) are expected.
      return response.status === 404 || response.status === 405 ? [] : [`${what}: no operation in the document`];
    }
    const listed = operation.responses[String(response.status)] as Operation['responses'][string] & { $ref?: string };
    const documented = listed?.$ref ? this.document.components?.responses?.[listed.$ref.split('/').pop()!] as typeof listed : listed;
    if (!documented) return [`${what}: ${operation.method} ${operation.template} does not document ${response.status}`];
    const findings: string[] = [];
    const named = new Set(Object.keys(documented.headers ?? {}).map((h) => h.toLowerCase()));
    for (const header of LEDGER_HEADERS) {
      if (response.headers[header] !== undefined && !named.has(header)) findings.push(`${what}: header ${header} is not documented`);
    }
    const type = String(response.headers['content-type'] ?? '').split(';')[0];
    if (response.text && type) {
      const media = documented.content?.[type];
      if (!media) {
        findings.push(`${what}: ${type} is not documented (${Object.keys(documented.content ?? {}).join(', ') || 'no body'})`);
      } else if (media.schema && type.endsWith('json')) {
        const validate = this.validator(media.schema);
        if (!validate(response.body)) {
          findings.push(`${what}: the body does not match its schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`);
        }
      }
    }
    return findings;
  }

  private validator(schema: object): ValidateFunction {
    let validate = this.validators.get(schema);
    if (!validate) {
      // The document's references (#/components/…) resolve against the components added as 'api'.
      const resolved = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"api#/components/')) as object;
      validate = this.ajv.compile(nullableToJsonSchema(resolved));
      this.validators.set(schema, validate);
    }
    return validate;
  }
}

/** OpenAPI 3.0's `nullable: true` is JSON Schema's `type: [t, 'null']`. */
function nullableToJsonSchema(schema: unknown): object {
  if (Array.isArray(schema)) return schema.map(nullableToJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema as object;
  const entries = Object.entries(schema).map(([key, value]) => [key, nullableToJsonSchema(value)] as const);
  const copy: Record<string, unknown> = Object.fromEntries(entries);
  if (copy.nullable === true && typeof copy.type === 'string') copy.type = [copy.type, 'null'];
  return copy;
}
