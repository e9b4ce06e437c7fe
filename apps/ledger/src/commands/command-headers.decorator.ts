import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

/** Documents the headers every command endpoint reads and the problems it may answer. */
export function CommandHeaders() {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The client’s command id: a retry with the same key is applied once and answered as the first time.' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The stream revision (an ETag) the command expects; 412 when it moved.' }),
    ApiHeader({ name: 'Ledger-Actor', required: false, description: 'For tokens not bound to a party: partner:<id>, customer:<id>, operator:<id> or system.' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Carried into every event’s metadata and every problem.' }),
    ApiResponse({ status: 400, description: 'Validation failed (problem+json, code VALIDATION_FAILED, …).' }),
    ApiResponse({ status: 401, description: 'No valid bearer token (UNAUTHENTICATED).' }),
    ApiResponse({ status: 403, description: 'Scope or actor not allowed.' }),
    ApiResponse({ status: 404, description: 'A named party or resource is unknown.' }),
    ApiResponse({ status: 409, description: 'Already exists, or the stream kept changing.' }),
    ApiResponse({ status: 412, description: 'If-Match did not match the stream revision (REVISION_MISMATCH).' }),
    ApiResponse({ status: 422, description: 'A rule refused the command: code is the rule id (MC-01 … MC-15).' }),
  );
}
