import { createHash } from 'node:crypto';
import { CheckpointRejected, type Checkpoint, newSigningKeyPem, noteSigner, openCheckpoint, signCheckpoint } from './signed-note';

describe('signed checkpoints (C2SP tlog-checkpoint in a signed note)', () => {
  const signer = noteSigner('ledger.example/log', newSigningKeyPem());
  const checkpoint: Checkpoint = { origin: 'ledger.example/log', size: 12, root: createHash('sha256').update('root').digest(), extensions: [] };
  const note = signCheckpoint(checkpoint, signer);

  it('writes the checkpoint format: origin, size, base64 root, a blank line, one signature line by the key’s name', () => {
    const lines = note.split('\n');
    expect(lines.slice(0, 4)).toEqual(['ledger.example/log', '12', checkpoint.root.toString('base64'), '']);
    expect(lines[4]).toMatch(/^\u2014 ledger\.example\/log [A-Za-z0-9+/]{91}=$/);
    expect(signer.verifierKey).toMatch(/^ledger\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  });

  it('opens with the verifier key, giving the origin, size and root', () => {
    expect(openCheckpoint(note, signer.verifierKey, 'ledger.example/log')).toEqual(checkpoint);
  });

  it('refuses a changed size or root, a changed signature, a wrong origin and another key', () => {
    const other = noteSigner('ledger.example/log', newSigningKeyPem());
    expect(() => openCheckpoint(note.replace('\n12\n', '\n13\n'), signer.verifierKey)).toThrow(CheckpointRejected);
    expect(() => openCheckpoint(note.replace(checkpoint.root.toString('base64'), Buffer.alloc(32).toString('base64')), signer.verifierKey))
      .toThrow(/no valid signature/);
    const signature = note.split('\n')[4];
    const flipped = signature.slice(0, -6) + (signature.at(-6) === 'A' ? 'B' : 'A') + signature.slice(-5);
    expect(() => openCheckpoint(note.replace(signature, flipped), signer.verifierKey)).toThrow(/no valid signature/);
    expect(() => openCheckpoint(note, signer.verifierKey, 'another.example/log')).toThrow(/not another\.example\/log/);
    expect(() => openCheckpoint(note, other.verifierKey)).toThrow(/no valid signature/);
    expect(() => openCheckpoint(note, 'not-a-key')).toThrow(/verifier key/);
  });

  it('carries extension lines under the signature', () => {
    const extended = signCheckpoint({ ...checkpoint, extensions: ['heads abc'] }, signer);
    expect(openCheckpoint(extended, signer.verifierKey).extensions).toEqual(['heads abc']);
    expect(() => openCheckpoint(extended.replace('heads abc', 'heads abd'), signer.verifierKey)).toThrow(CheckpointRejected);
  });
});
