/**
 * An inclusion proof checked in the browser with the verifier key alone (Web Crypto): the checkpoint note's
 * Ed25519 signature (C2SP signed note), the event's content against its hash, the hash against the leaf, and
 * the audit path from the leaf to the checkpoint's root (RFC 9162 §2.1.3.2). The same checks as
 * `ledger verify-proof`, written again for the browser, whose SHA-256 is asynchronous.
 */
import canonicalize from 'canonicalize';

export interface InclusionProof {
  readonly checkpoint: string;
  readonly treeSize: number;
  readonly leafIndex: number;
  readonly leaf: { readonly stream: string; readonly revision: string; readonly hash: string };
  readonly proof: readonly string[];
  readonly event: {
    readonly id: string; readonly stream: string; readonly revision: string; readonly type: string; readonly schemaVersion: number;
    readonly data: unknown; readonly metadata: Readonly<Record<string, unknown>>;
  };
}

export interface ProofVerdict {
  readonly ok: boolean;
  /** What was proven, or each thing that failed. */
  readonly lines: readonly string[];
}

const encoder = new TextEncoder();
const ED25519 = 0x01;

/** The bytes base64 text stands for; text that is not base64 stands for none, which every length check here refuses. */
function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

const leafHash = (data: Uint8Array) => sha256(Uint8Array.of(0x00), data);
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(0x01), left, right);

interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
}

/** The checkpoint a note holds, once its signature by the verifier key (`name+keyid+base64(0x01 || key)`) checks out. */
export async function openCheckpoint(note: string, verifierKey: string): Promise<Checkpoint> {
  const [name, idHex, ...rest] = verifierKey.trim().split('+');
  const key = bytesOf(rest.join('+'));
  if (!name || !/^[0-9a-f]{8}$/.test(idHex ?? '') || key.length !== 33 || key[0] !== ED25519) {
    throw new Error('The verifier key is not name+keyid+base64(0x01 || Ed25519 public key)');
  }
  const publicKey = key.subarray(1);
  const expectedId = (await sha256(encoder.encode(`${name}\n`), Uint8Array.of(ED25519), publicKey)).subarray(0, 4);
  if (hex(expectedId) !== idHex) throw new Error('The verifier key’s id does not match its name and key');
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('The note has no blank line before its signatures');
  const body = note.slice(0, split + 1);
  const cryptoKey = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  let signed = false;
  for (const line of note.slice(split + 2).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const bytes = bytesOf(match[2]);
    if (bytes.length === 68 && hex(bytes.subarray(0, 4)) === idHex &&
      await crypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, bytes.subarray(4), encoder.encode(body))) signed = true;
  }
  if (!signed) throw new Error(`The note carries no valid signature by ${name}`);
  const [origin, size, root] = body.slice(0, -1).split('\n');
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(size ?? '') || !/^[A-Za-z0-9+/]{43}=$/.test(root ?? '')) {
    throw new Error('The note is not a checkpoint (origin, tree size, base64 SHA-256 root)');
  }
  return { origin, size: Number(size), root: bytesOf(root) };
}

/** Whether the audit path leads from the leaf hash at `index` to `root` in a tree of `size` leaves (RFC 9162 §2.1.3.2). */
export async function verifyInclusion(leaf: Uint8Array, index: number, size: number, path: readonly Uint8Array[], root: Uint8Array): Promise<boolean> {
  if (!(index >= 0 && index < size)) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
}

/** The event's hash recomputed from its content: SHA-256 of the RFC 8785 form the ledger chains (less `hash` and `$` keys). */
async function eventHash(event: InclusionProof['event']): Promise<string> {
  const metadata = Object.fromEntries(Object.entries(event.metadata).filter(([key]) => key !== 'hash' && !key.startsWith('$')));
  const form = canonicalize({ stream: event.stream, revision: event.revision, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata }) ?? '';
  return hex(await sha256(encoder.encode(form)));
}

/** Checks an inclusion proof as `GET /audit/proofs/inclusion` answers it against the verifier key. */
export async function checkInclusion(proof: InclusionProof, verifierKey: string): Promise<ProofVerdict> {
  let checkpoint: Checkpoint;
  try {
    checkpoint = await openCheckpoint(proof.checkpoint, verifierKey);
  } catch (error) {
    return { ok: false, lines: [`checkpoint rejected: ${(error as Error).message}`] };
  }
  const { event, leaf } = proof;
  const findings: string[] = [];
  if (checkpoint.size !== proof.treeSize) findings.push(`the proof is for tree size ${proof.treeSize}, the checkpoint is of size ${checkpoint.size}`);
  const recomputed = await eventHash(event);
  if (recomputed !== event.metadata.hash || recomputed !== leaf.hash) findings.push(`event ${event.id}'s content does not hash to the leaf's event hash: it was altered`);
  if (leaf.stream !== event.stream || leaf.revision !== event.revision) findings.push('the leaf names another place than the event');
  const data = encoder.encode(canonicalize([leaf.stream, leaf.revision, leaf.hash]) ?? '');
  if (!await verifyInclusion(await leafHash(data), proof.leafIndex, checkpoint.size, proof.proof.map(bytesOf), checkpoint.root)) {
    findings.push(`the audit path does not lead from leaf ${proof.leafIndex} to the checkpoint's root`);
  }
  return findings.length > 0 ? { ok: false, lines: findings }
    : { ok: true, lines: [`event ${event.id} (${event.stream} revision ${event.revision}) is leaf ${proof.leafIndex} of ${checkpoint.origin} at tree size ${checkpoint.size}, signed by the key given`] };
}
