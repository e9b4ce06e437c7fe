import { EventStoreDbTestServer } from './test-server';

/** The server the EventStoreDB tests of one test file talk to. */
export interface EventStoreDbTarget {
  readonly connectionString: string;
  /** The in-process test server, for tests that inject faults; absent for a real server. */
  readonly server?: EventStoreDbTestServer;
}

/** Which server the EventStoreDB tests run against: a real one named by EVENTSTORE_CONNECTION_STRING, or the test server. */
export function eventStoreDbTargetName(): string {
  return process.env.EVENTSTORE_CONNECTION_STRING ? 'a real server' : 'the in-process test server';
}

let target: Promise<EventStoreDbTarget> | undefined;

/**
 * The server for this test file: the real one EVENTSTORE_CONNECTION_STRING names (a fresh one: tests keep
 * to streams of their own, but reads of `$all` see everything), or one in-process test server, started
 * on first use. `stopEventStoreDbForTests` (in an afterAll) stops it.
 */
export function eventStoreDbForTests(): Promise<EventStoreDbTarget> {
  const given = process.env.EVENTSTORE_CONNECTION_STRING;
  target ??= given
    ? Promise.resolve({ connectionString: given })
    : EventStoreDbTestServer.start().then((server) => ({ connectionString: server.connectionString, server }));
  return target;
}

export async function stopEventStoreDbForTests(): Promise<void> {
  const started = await target;
  target = undefined;
  await started?.server?.stop();
}
