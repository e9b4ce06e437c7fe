import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../apps/ledger-cli/src/ledger-cli';
import { TestLedger, TOKENS } from './support/test-ledger';

/** Runs `ledger verify-proof …` in-process: it reads only the files it is given. */
async function verifyProof(...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCli(['verify-proof', ...argv], { out: (l) => out.push(l), err: (l) => out.push(l), interactive: false, env: {} });
  return { code, out };
}

describe('signed checkpoints and proofs, checked offline', () => {
  let ledger: TestLedger;
  let scratch: string;
  let key = '';
  const file = (name: string, content: unknown) => {
    const path = join(scratch, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const audit = (path: string, token: string = TOKENS.auditOnly) =>
    request(ledger.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
  const enroll = (partnerId: string) =>
    ledger.command('/partners', { partnerId, name: partnerId, program: 'direct-bill', cloud: 'global' }).expect(201);

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    scratch = mkdtempSync(join(tmpdir(), 'ledger-proofs-'));
    for (const id of ['p1', 'p2', 'p3']) await enroll(id);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 's1', kind: 'usage', channel: 'microsoft' }).expect(201);
    key = (await request(ledger.app.getHttpServer()).get('/audit/checkpoint/key').expect(200)).body.verifierKey;
  });

  afterAll(async () => {
    await ledger.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('serves the verifier key to anyone, and the latest checkpoint to auditors: a C2SP note over the whole log', async () => {
    expect(key).toMatch(/^relationship-ledger\/[0-9a-f]{16}\+[0-9a-f]{8}\+/);
    await request(ledger.app.getHttpServer()).get('/audit/checkpoint').expect(401);
    const latest = await audit('/audit/checkpoint').expect(200);
    // Five events in four streams (three partners, one customer): the note commits to the tree and to the streams' heads.
    expect(latest.body).toMatchObject({ treeSize: 5, origin: key.split('+')[0], streamHeads: { count: 4 } });
    const { origin, rootHash, streamHeads } = latest.body;
    expect(latest.body.note).toBe(`${origin}\n5\n${rootHash}\nstream-heads 4 ${streamHeads.rootHash}\n\n${latest.body.note.split('\n')[5]}\n`);
  });

  it('proves every event of the log in the checkpoint, each proof checked by `ledger verify-proof` with the key alone', async () => {
    const events = await ledger.store.readAll({ maxCount: 100 });
    for (const event of events) {
      const proof = await audit(`/audit/proofs/inclusion?eventId=${event.id}`).expect(200);
      expect(proof.body).toMatchObject({ kind: 'inclusion', treeSize: 5, event: { id: event.id } });
      expect(await verifyProof('--key', key, file(`inclusion-${event.id}.json`, proof.body))).toMatchObject({ code: 0, out: [expect.stringMatching(/^ok: event/)] });
    }
  });

  it('refuses a tampered proof, an altered event, a tampered signature, a wrong origin and another key (exit 1)', async () => {
    const [, second] = await ledger.store.readAll({ maxCount: 2 });
    const proof = (await audit(`/audit/proofs/inclusion?eventId=${second.id}`).expect(200)).body;
    const tamperedPath = { ...proof, proof: [Buffer.alloc(32, 7).toString('base64'), ...proof.proof.slice(1)] };
    expect(await verifyProof('--key', key, file('tampered-path.json', tamperedPath))).toMatchObject({ code: 1, out: [expect.stringMatching(/audit path/)] });
    const altered = { ...proof, event: { ...proof.event, data: { ...proof.event.data, name: 'Someone else' } } };
    expect(await verifyProof('--key', key, file('altered.json', altered))).toMatchObject({ code: 1, out: [expect.stringMatching(/altered/)] });
    const signatureLine = proof.checkpoint.split('\n')[5] as string;
    const forged = { ...proof, checkpoint: proof.checkpoint.replace(signatureLine, `${signatureLine.slice(0, -4)}AAA=`) };
    expect(await verifyProof('--key', key, file('forged.json', forged))).toMatchObject({ code: 1, out: [expect.stringMatching(/no valid signature/)] });
    expect(await verifyProof('--key', key, '--origin', 'another.example/log', file('origin.json', proof)))
      .toMatchObject({ code: 1, out: [expect.stringMatching(/not another\.example\/log/)] });
    const another = await TestLedger.start();
    try {
      const other = (await request(another.app.getHttpServer()).get('/audit/checkpoint/key').expect(200)).body.verifierKey as string;
      expect(await verifyProof('--key', other, file('other-key.json', proof))).toMatchObject({ code: 1 });
    } finally {
      await another.close();
    }
    expect(await verifyProof('--key', key, file('not-a-proof.json', { hello: 1 }))).toMatchObject({ code: 2 });
    expect(await verifyProof(file('no-key.json', proof))).toMatchObject({ code: 2 });
  });

  it('proves a kept checkpoint a prefix of a later one: the log only grew', async () => {
    const kept = (await audit('/audit/checkpoint').expect(200)).body;
    for (const id of ['p4', 'p5', 'p6']) await enroll(id);
    const later = await request(ledger.app.getHttpServer()).post('/audit/checkpoints').set('Authorization', `Bearer ${TOKENS.auditOnly}`).expect(201);
    expect(later.body.treeSize).toBe(8);
    const proof = (await audit(`/audit/proofs/consistency?from=${kept.treeSize}`).expect(200)).body;
    expect(proof).toMatchObject({ kind: 'consistency', fromSize: 5, toSize: 8 });
    const keptNote = file('kept.note', kept.note);
    expect(await verifyProof('--key', `@${file('key.txt', key)}`, '--old-checkpoint', keptNote, file('consistency.json', proof)))
      .toMatchObject({ code: 0, out: ['ok: ' + kept.origin + ' only grew from tree size 5 to 8'] });
    const rewritten = { ...proof, proof: proof.proof.map((p: string, i: number) => (i === 0 ? Buffer.alloc(32).toString('base64') : p)) };
    expect(await verifyProof('--key', key, '--old-checkpoint', keptNote, file('rewritten.json', rewritten))).toMatchObject({ code: 1 });
    // An event after the latest checkpoint gets a new one signed, and is proven in it.
    await enroll('p7');
    const newest = (await ledger.store.readAll({ maxCount: 100 })).at(-1)!;
    expect((await audit(`/audit/proofs/inclusion?eventId=${newest.id}`).expect(200)).body.treeSize).toBe(9);
  });

  it('proves a stream complete as of a checkpoint: every event given, none withheld, or that it had none', async () => {
    await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 's2', kind: 'usage', channel: 'microsoft' }).expect(201);
    const proof = (await audit('/audit/proofs/stream?stream=customer-contoso').expect(200)).body;
    expect(proof).toMatchObject({ kind: 'stream', stream: 'customer-contoso', heads: { head: { head: { stream: 'customer-contoso', revision: '2' } } } });
    expect(proof.events.map((e: { revision: string }) => e.revision)).toEqual(['0', '1', '2']);
    expect(await verifyProof('--key', key, file('stream.json', proof)))
      .toMatchObject({ code: 0, out: [`ok: the 3 events given are all of customer-contoso's as of tree size ${proof.treeSize} of ${key.split('+')[0]}`] });
    // Withholding any one of them is found: the last (the chain stops short of the head) or one before (the chain breaks).
    for (const withheld of [2, 1, 0]) {
      const partial = { ...proof, events: proof.events.filter((_: unknown, i: number) => i !== withheld) };
      expect(await verifyProof('--key', key, file(`withheld-${withheld}.json`, partial))).toMatchObject({ code: 1, out: [expect.stringMatching(/^NOT PROVEN/)] });
    }
    // Another stream's head passed off as this one's, or a head moved to another place in the tree, is refused.
    const p1 = (await audit('/audit/proofs/stream?stream=partner-p1').expect(200)).body;
    const swapped = { ...proof, heads: p1.heads, events: p1.events };
    expect(await verifyProof('--key', key, file('swapped.json', swapped))).toMatchObject({ code: 1 });
    const moved = { ...proof, heads: { ...proof.heads, head: { ...proof.heads.head, index: proof.heads.head.index + 1 } } };
    expect(await verifyProof('--key', key, file('moved.json', moved))).toMatchObject({ code: 1, out: [expect.stringMatching(/audit path/)] });

    // A stream with no events: its neighbours in the stream heads are adjacent, so its head cannot hide between them.
    const none = (await audit('/audit/proofs/stream?stream=customer-fabrikam').expect(200)).body;
    expect(none).toMatchObject({ events: [], heads: { before: { head: { stream: 'customer-contoso' } }, after: { head: { stream: 'partner-p1' } } } });
    expect(none.heads.head).toBeUndefined();
    expect(await verifyProof('--key', key, file('none.json', none))).toMatchObject({ code: 0, out: [expect.stringMatching(/^ok: customer-fabrikam had no events/)] });
    const hidden = (await audit('/audit/proofs/stream?stream=partner-p2').expect(200)).body;
    const claimedAbsent = { ...hidden, events: [], heads: { count: hidden.heads.count, before: p1.heads.head, after: (await audit('/audit/proofs/stream?stream=partner-p3').expect(200)).body.heads.head } };
    expect(await verifyProof('--key', key, file('hidden.json', claimedAbsent))).toMatchObject({ code: 1, out: [expect.stringMatching(/not neighbours/)] });

    // Against an older checkpoint, the stream is as it was then.
    const older = (await audit(`/audit/proofs/stream?stream=customer-contoso&treeSize=5`).expect(200)).body;
    expect(older.events.map((e: { revision: string }) => e.revision)).toEqual(['0', '1']);
    expect(await verifyProof('--key', key, file('older.json', older))).toMatchObject({ code: 0 });
  });

  it('answers 404 for an unknown event or a size never signed, and 400 for a bad query', async () => {
    expect((await audit('/audit/proofs/inclusion?eventId=nope').expect(404)).body.code).toBe('EVENT_NOT_FOUND');
    expect((await audit('/audit/proofs/consistency?from=3').expect(404)).body.code).toBe('CHECKPOINT_NOT_FOUND');
    expect((await audit('/audit/proofs/consistency?from=-1').expect(400)).body.code).toBe('VALIDATION_FAILED');
    await audit('/audit/proofs/inclusion').expect(400);
    await audit('/audit/proofs/stream').expect(400);
    expect((await audit('/audit/proofs/stream?stream=customer-contoso&treeSize=4').expect(404)).body.code).toBe('CHECKPOINT_NOT_FOUND');
  });
});
