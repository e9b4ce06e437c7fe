/**
 * The framework's ceiling for bench/limits.ts (not a test, not the ledger): a bare NestJS 11 app on Express,
 * in its own process and started from source the way the ledger is, with
 *   - one POST route, `POST /customers`, whose body is the ledger's own RegisterCustomerDto checked by the
 *     ledger's own ValidationPipe, answering 201 with a small JSON body; and
 *   - `GET` of any path, answering the JSON body stored for that path in the file `BARE_ANSWERS` names
 *     (the ledger's own answers, fetched by the benchmark), or 404.
 * No authentication, idempotency, decision, store, projection, logging or metrics: what is left is Nest.
 *
 *   LEDGER_PORT=3999 BARE_ANSWERS=answers.json node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/bare-nest-app.ts
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Body, Controller, Get, HttpCode, Module, NotFoundException, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request } from 'express';
import { RegisterCustomerDto } from '../apps/ledger/src/customers/register-customer.dto';
import { ledgerValidationPipe } from '../apps/ledger/src/http/validation';

/** Path → the ledger's answer to it, parsed once: Nest serializes the object on every request, as the ledger's handlers have it. */
const answers = new Map<string, object>(process.env.BARE_ANSWERS
  ? Object.entries(JSON.parse(readFileSync(process.env.BARE_ANSWERS, 'utf8')) as Record<string, object>)
  : []);

let registered = 0;

@Controller()
class BareController {
  @Post('customers')
  @HttpCode(201)
  register(@Body() body: RegisterCustomerDto): object {
    registered += 1;
    return { commandId: body.customerId, stream: `customer-${body.customerId}`, revision: '0', registered };
  }

  @Get('health/live')
  live(): object {
    return { status: 'ok' };
  }

  @Get('*path')
  answer(@Req() request: Request): object {
    const body = answers.get(request.url);
    if (body === undefined) throw new NotFoundException();
    return body;
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: ['error'] });
  app.useGlobalPipes(ledgerValidationPipe());
  await app.listen(Number(process.env.LEDGER_PORT ?? 3999), process.env.LEDGER_HOST ?? '127.0.0.1');
}

void main();
