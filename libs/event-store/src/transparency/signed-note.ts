import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Checkpoints in the C2SP formats: a `tlog-checkpoint` body (origin, tree size, base64 root hash, then any
 * extension lines) signed as a `signed-note` with Ed25519. A verifier key is written as
 * `<name>+<key id, 8 hex>+<base64 of 0x01 || public key>`; the key id is the first four bytes of
 * SHA-256(name || "\n" || 0x01 || public key), and a signature line is `— <name> <base64(key id || signature)>`.
 */

const ED25519 = 0x01;
const SIGNATURE_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/;

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
  /** Extension lines after the root (none, or what the log commits to besides the tree). */
  readonly extensions: readonly string[];
}

/** An Ed25519 key that signs notes under a name. */
export interface NoteSigner {
  readonly name: string;
  readonly privateKey: KeyObject;
  /** The first four bytes of SHA-256(name, 0x0A, 0x01, public key): named in each signature line. */
  readonly keyId: Buffer;
  /** The verifier key, as `name+keyid+base64key`: what an auditor keeps. */
  readonly verifierKey: string;
}

export function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}

function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name).update('\n').update(Buffer.from([ED25519])).update(publicKey).digest().subarray(0, 4);
}

function verifierKeyOf(name: string, raw: Buffer): string {
  return `${name}+${keyId(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString('base64')}`;
}

/** A signer from a PKCS#8 PEM Ed25519 private key. */
export function noteSigner(name: string, pem: string): NoteSigner {
  if (!isValidKeyName(name)) throw new Error(`A key name has no spaces or "+": ${JSON.stringify(name)}`);
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('The checkpoint key must be an Ed25519 key');
  const raw = rawPublicKey(createPublicKey(privateKey));
  return { name, privateKey, keyId: keyId(name, raw), verifierKey: verifierKeyOf(name, raw) };
}

/** A new Ed25519 private key, as PKCS#8 PEM. */
export function newSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
}

function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/.test(name);
}

export function checkpointBody({ origin, size, root, extensions }: Checkpoint): string {
  return [origin, String(size), root.toString('base64'), ...extensions].map((line) => `${line}\n`).join('');
}

/** The checkpoint as a signed note: its body, a blank line, the signature line. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  const body = checkpointBody(checkpoint);
  const signature = sign(null, Buffer.from(body, 'utf8'), signer.privateKey);
  return `${body}\n\u2014 ${signer.name} ${Buffer.concat([signer.keyId, signature]).toString('base64')}\n`;
}

/** Why a signed checkpoint was not accepted. */
export class CheckpointRejected extends Error {
  override readonly name = 'CheckpointRejected';
}

interface VerifierKey {
  readonly name: string;
  readonly id: Buffer;
  readonly publicKey: KeyObject;
}

export function parseVerifierKey(text: string): VerifierKey {
  const parts = text.trim().split('+');
  // The base64 key may itself hold '+': the name and id are the first two parts, the key the rest.
  const [name, idHex, ...keyParts] = parts;
  const key = Buffer.from(keyParts.join('+'), 'base64');
  if (!name || !/^[0-9a-f]{8}$/.test(idHex ?? '') || key.length !== 33 || key[0] !== ED25519) {
    throw new CheckpointRejected('The verifier key is not name+keyid+base64(0x01 || Ed25519 public key)');
  }
  const raw = key.subarray(1);
  if (!keyId(name, raw).equals(Buffer.from(idHex, 'hex'))) throw new CheckpointRejected('The verifier key’s id does not match its name and key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { name, id: Buffer.from(idHex, 'hex'), publicKey };
}

/**
 * The checkpoint a signed note holds, once its signature by `verifierKey` checks out and its origin is the
 * one expected (when given). Throws CheckpointRejected otherwise.
 */
export function openCheckpoint(note: string, verifierKey: string, expectedOrigin?: string): Checkpoint {
  const key = parseVerifierKey(verifierKey);
  const split = note.indexOf('\n\n');
  if (split < 0) throw new CheckpointRejected('The note has no blank line before its signatures');
  const body = note.slice(0, split + 1);
  const signatures = note.slice(split + 2).split('\n').filter((line) => line !== '');
  const signed = signatures.some((line) => {
    const match = SIGNATURE_LINE.exec(line);
    if (!match || match[1] !== key.name) return false;
    const bytes = Buffer.from(match[2], 'base64');
    return bytes.length === 68 && bytes.subarray(0, 4).equals(key.id) &&
      verify(null, Buffer.from(body, 'utf8'), key.publicKey, bytes.subarray(4));
  });
  if (!signed) throw new CheckpointRejected(`The note carries no valid signature by ${key.name}`);
  const [origin, size, root, ...extensions] = body.slice(0, -1).split('\n');
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(size ?? '') || !/^[A-Za-z0-9+/]{43}=$/.test(root ?? '')) {
    throw new CheckpointRejected('The note is not a checkpoint (origin, tree size, base64 SHA-256 root)');
  }
  if (expectedOrigin !== undefined && origin !== expectedOrigin) {
    throw new CheckpointRejected(`The checkpoint is of log ${origin}, not ${expectedOrigin}`);
  }
  return { origin, size: Number(size), root: Buffer.from(root, 'base64'), extensions };
}
