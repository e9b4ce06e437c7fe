import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** Documents the headers every command endpoint reads. */
export function CommandHeaders() {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The client’s command id: a retry with the same key is applied once and answered as the first time.' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The stream revision (an ETag) the command expects; 412 when it moved.' }),
    ApiHeader({ name: 'Ledger-Actor', required: false, description: 'For tokens not bound to a party: partner:<id>, customer:<id>, operator:<id> or system.' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Carried into every event’s metadata and every problem.' }),
  );
}
