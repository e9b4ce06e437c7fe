/**
 * Audit benchmarks (not tests):
 *   1. verify: recompute every hash chain and the digest over a generated history, in events/s: as stored, in
 *      worker threads (what `ledger verify` does on a SQLite log), and through the store's port, event by
 *      event (what the service's digest does); the first open of a log of the first format migrates it, timed;
 *   2. Merkle tree: build it over that history (events/s), then inclusion and consistency proofs at its
 *      full size (ms per proof, and its size in hashes), and the stream heads a checkpoint commits to;
 *   3. as-of: "what was true of customer C at time T" on a customer with a thousand events, in ms.
 *
 *   npm run bench:generate -- /tmp/ledger-history && npm run bench:audit -- /tmp/ledger-history
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays, checkRight } from '@ledger/domain';
import { chainEvents, MerkleLog, SqliteEventStore, StreamHeads, verifyLog, verifyStoredLog } from '@ledger/event-store';
import { ReadSide, SNAPSHOT_EVERY } from '@ledger/read-models';
import { TimeTravel } from '../apps/ledger/src/read/time-travel';
import { percentile } from './write-workload';

async function verifyPhase(dir: string): Promise<void> {
  const file = join(dir, 'events.sqlite');
  let started = performance.now();
  const store = new SqliteEventStore({ file });
  console.log(`open (migrates a log of the first format once): ${((performance.now() - started) / 1000).toFixed(2)} s`);
  const line = (label: string, report: Awaited<ReturnType<typeof verifyLog>>, seconds: number) =>
    console.log(`${label}: ${report.eventsChecked} events in ${report.streams} streams in ${seconds.toFixed(2)} s = ` +
      `${Math.round(report.eventsChecked / seconds)} events/s; ${report.brokenLink ? `BROKEN at ${report.brokenLink.stream}` : 'intact'}`);
  for (let run = 1; run <= 3; run += 1) {
    started = performance.now();
    const stored = await verifyStoredLog(file);
    line(`verify as stored (${availableParallelism()} workers), run ${run}`, stored, (performance.now() - started) / 1000);
  }
  started = performance.now();
  const report = await verifyLog(store, { pageSize: 5000 });
  line('verify through the port, event by event', report, (performance.now() - started) / 1000);
  await store.close();
}

async function merklePhase(dir: string): Promise<void> {
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-merkle-bench-'));
  const tree = new MerkleLog(join(scratch, 'merkle.sqlite'));
  const started = performance.now();
  const size = await tree.catchUp(store, 5000);
  const seconds = (performance.now() - started) / 1000;
  console.log(`merkle build: ${size} leaves in ${seconds.toFixed(2)} s = ${Math.round(size / seconds)} events/s`);
  const timed = (label: string, proofs: number, make: (i: number) => Buffer[]) => {
    const samples: number[] = [];
    let hashes = 0;
    for (let i = 0; i < proofs; i += 1) {
      const t = performance.now();
      hashes = Math.max(hashes, make(i).length);
      samples.push(performance.now() - t);
    }
    const sorted = samples.slice(proofs / 10).sort((a, b) => a - b);
    const f = (q: number) => percentile(sorted, q).toFixed(3);
    console.log(`${label} at size ${size}: ${sorted.length} proofs; ms p50 ${f(50)} p99 ${f(99)} max ${sorted[sorted.length - 1].toFixed(3)}; ` +
      `at most ${hashes} hashes (${hashes * 32} bytes)`);
  };
  // Spread over the tree, seeded by the index so runs compare.
  timed('inclusion proof', 10_000, (i) => tree.inclusionProof((i * 7919 * 104_729) % size, size));
  timed('consistency proof', 10_000, (i) => tree.consistencyProof(1 + ((i * 7919 * 104_729) % (size - 1)), size));
  for (const at of [size, Math.floor(size / 2)]) {
    const t = performance.now();
    const heads = await StreamHeads.of(await tree.streamHeads(at));
    const ms = performance.now() - t;
    const proofs = Array.from({ length: 1000 }, (_, i) => tree.leafAt((i * 7919 * 104_729) % at)!.stream);
    const p = performance.now();
    const hashes = Math.max(...proofs.map((stream) => heads.proof(stream).head?.proof.length ?? 0));
    console.log(`stream heads at size ${at}: ${heads.committed.count} streams read and hashed in ${ms.toFixed(0)} ms (time-sliced); ` +
      `a head's proof ${((performance.now() - p) / proofs.length).toFixed(3)} ms mean, ${hashes} hashes`);
  }
  tree.close();
  await store.close();
  rmSync(scratch, { recursive: true, force: true });
}

async function asOfPhase(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-asof-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const T0 = '2026-01-01T00:00:00.000Z';
  const at = (i: number) => new Date(Date.parse(T0) + i * 60_000).toISOString();
  const data = [
    { type: 'CustomerRegistered', data: { customerId: 'busy', name: 'Busy', cloud: 'global', isPartnerTenant: false } },
    { type: 'RelationshipAccepted', data: { customerId: 'busy', relationshipId: 'r', invitationId: 'r', partnerId: 'p', resellerId: null } },
  ];
  for (let i = 0; data.length < 1000; i += 1) {
    data.push({ type: 'DelegatedAdminGranted', data: { customerId: 'busy', grantId: `g${i}`, partnerId: `p${i % 20}`, roles: ['Global Reader'], endsAt: addDays(T0, 700) } as never });
    data.push({ type: 'DelegatedAdminRevoked', data: { customerId: 'busy', grantId: `g${i}`, partnerId: `p${i % 20}` } as never });
  }
  const events = chainEvents('customer-busy', undefined, data.map((e, i) => ({
    id: `e${i}`, type: e.type, schemaVersion: 1, data: e.data, metadata: { recordedAt: at(i) },
  })));
  await store.appendToStream('customer-busy', events, { expectedRevision: 'no-stream' });
  const readSide = new ReadSide(store, { file: join(dir, 'read.sqlite') });
  readSide.start();
  await readSide.waitFor((await store.headPosition())!, 10_000);
  const travel = new TimeTravel(store, readSide);
  const samples: number[] = [];
  for (let i = 0; i < 3000; i += 1) {
    const when = at((i * 7919) % 1000);
    const started = performance.now();
    const past = await travel.customerAsOf('busy', { time: when });
    if (past.view) checkRight(past.view, 'p1', 'administer', past.evaluatedAt);
    samples.push(performance.now() - started);
  }
  await readSide.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const sorted = samples.slice(500).sort((a, b) => a - b);
  const f = (p: number) => percentile(sorted, p).toFixed(2);
  console.log(`as-of query (customer with 1,000 events, snapshots every ${SNAPSHOT_EVERY}): ` +
    `${sorted.length} samples; ms p50 ${f(50)} p95 ${f(95)} p99 ${f(99)} max ${sorted[sorted.length - 1].toFixed(2)}`);
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  console.log(`Audit benchmark; node ${process.version}`);
  if (dir) await verifyPhase(resolve(dir));
  if (dir) await merklePhase(resolve(dir));
  await asOfPhase();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
