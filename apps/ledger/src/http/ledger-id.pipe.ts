import { type ArgumentMetadata, Injectable, Param, type PipeTransform } from '@nestjs/common';
import { HttpProblem } from '../problems/http-problem';
import { LEDGER_ID_PATTERN } from './validation';

/** Validates an id in the path. */
@Injectable()
export class LedgerIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && LEDGER_ID_PATTERN.test(value)) return value;
    throw new HttpProblem(400, 'VALIDATION_FAILED', `${metadata.data ?? 'id'} in the path is not a valid id.`, {
      errors: [{ field: metadata.data, messages: ['has 1 to 128 letters, digits or ._:- characters'] }],
    });
  }
}

/** For commands that take no body: absent or `{}` only. */
@Injectable()
export class EmptyBodyPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    const empty = value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)
      && Object.keys(value).length === 0);
    if (empty) return undefined;
    throw new HttpProblem(400, 'VALIDATION_FAILED', 'This command takes no body.', {
      errors: [{ field: '', messages: ['the body is empty or {}'] }],
    });
  }
}

/** An id from the path, validated. */
export const PathId = (name: string) => Param(name, LedgerIdPipe);
