import { existsSync } from 'node:fs';

/** The EventStoreDB image the tests start when a container engine is there (insecure, in memory). */
export const EVENTSTORE_TEST_IMAGE = process.env.EVENTSTORE_TEST_IMAGE ?? 'docker.eventstore.com/eventstore/eventstore:24.10';

export type EventStoreDbAvailability =
  | { readonly available: true; readonly how: 'connection string' | 'container' }
  | { readonly available: false; readonly reason: string };

/**
 * Whether the EventStoreDB tests can run here: a server named by EVENTSTORE_CONNECTION_STRING, or a
 * container engine (a Docker socket or DOCKER_HOST) for testcontainers to start one in.
 */
export function eventStoreDbAvailability(): EventStoreDbAvailability {
  if (process.env.EVENTSTORE_CONNECTION_STRING) return { available: true, how: 'connection string' };
  const socket = ['/var/run/docker.sock', `${process.env.XDG_RUNTIME_DIR ?? '/run/user/0'}/podman/podman.sock`].find(existsSync);
  if (process.env.DOCKER_HOST || socket) return { available: true, how: 'container' };
  return { available: false, reason: 'no EVENTSTORE_CONNECTION_STRING and no container engine (no Docker socket, no DOCKER_HOST)' };
}

let started: Promise<{ connectionString: string; stop(): Promise<void> }> | undefined;

/** The connection string of the server the tests use, starting one container for the whole test file if need be. */
export async function eventStoreDbForTests(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const given = process.env.EVENTSTORE_CONNECTION_STRING;
  if (given) return { connectionString: given, stop: async () => undefined };
  started ??= (async () => {
    // Loaded only when a container engine is there: testcontainers is a test-time dependency.
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(EVENTSTORE_TEST_IMAGE)
      .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_MEM_DB: 'true', EVENTSTORE_RUN_PROJECTIONS: 'None' })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((status) => status === 204 || status === 200))
      .start();
    return {
      connectionString: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
      stop: async () => {
        await container.stop();
      },
    };
  })();
  return started;
}
