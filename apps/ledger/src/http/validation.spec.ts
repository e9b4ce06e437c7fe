import type { ArgumentMetadata } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { HttpProblem } from '../problems/http-problem';
import { IsAbsentOr, ledgerValidationPipe } from './validation';

class OptionalQuery {
  @IsAbsentOr()
  @IsString()
  @Length(1, 10)
  cursor?: string;
}

class RequiredQuery {
  @IsString()
  name!: string;
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('the validation pipe', () => {
  it('answers an empty query string with an instance of its class, every time', async () => {
    const pipe = ledgerValidationPipe();
    const first = await pipe.transform({}, query(OptionalQuery));
    const again = await pipe.transform({}, query(OptionalQuery));
    expect(first).toBeInstanceOf(OptionalQuery);
    expect(again).toBeInstanceOf(OptionalQuery);
    expect(again).not.toBe(first);
    expect(again).toEqual({});
  });

  it('refuses an empty query string every time when its class requires a field', async () => {
    const pipe = ledgerValidationPipe();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(pipe.transform({}, query(RequiredQuery))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('still checks a query string that is not empty after an empty one passed', async () => {
    const pipe = ledgerValidationPipe();
    await pipe.transform({}, query(OptionalQuery));
    await expect(pipe.transform({ cursor: 'far-too-long-a-cursor' }, query(OptionalQuery))).rejects.toBeInstanceOf(HttpProblem);
    await expect(pipe.transform({ other: 'x' }, query(OptionalQuery))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(pipe.transform({ cursor: 'ok' }, query(OptionalQuery))).resolves.toEqual({ cursor: 'ok' });
  });
});
