import { createHash } from 'node:crypto';
import {
  consistencyProof, EMPTY_ROOT, inclusionProof, leafHash, MemoryTree, RootBuilder, rootHash, type SubtreeHashes, verifyConsistency, verifyInclusion,
} from './merkle';

/**
 * A second implementation, written from RFC 6962's definitions and nothing else (no stored subtrees, no
 * shortcuts): the tree head, PATH and PROOF as the RFC's recursive formulas give them.
 */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const largestPowerBelow = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
// Remembered by first leaf and length: the leaves of each test are distinct, so that names one range.
const heads = new Map<string, Buffer>();
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return sha(Buffer.from([0]), leaves[0]);
  const key = `${leaves[0].toString('hex')}:${leaves.length}`;
  const known = heads.get(key);
  if (known) return known;
  const k = largestPowerBelow(leaves.length);
  const head = sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
  heads.set(key, head);
  return head;
}
function path(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerBelow(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function subproof(m: number, leaves: readonly Buffer[], whole: boolean): Buffer[] {
  if (m === leaves.length) return whole ? [] : [mth(leaves)];
  const k = largestPowerBelow(leaves.length);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), whole), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

const hex = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex'));

/** Subtree hashes straight from the leaves' data, for the functions under test. */
const treeOf = (leaves: readonly Buffer[]): SubtreeHashes => ({ hash: (start, end) => mth(leaves.slice(start, end)) });

// The leaves of the RFC 6962 test vectors (Certificate Transparency's reference tests), and the tree heads
// published for their first 1…8 leaves.
const VECTOR_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
  .map((hex) => Buffer.from(hex, 'hex'));
const VECTOR_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('the RFC 6962 Merkle tree', () => {
  it('gives the published tree heads of the RFC 6962 test vectors, as does the RFC-formula implementation', () => {
    const tree = treeOf(VECTOR_LEAVES);
    VECTOR_ROOTS.forEach((root, i) => {
      expect(rootHash(tree, i + 1).toString('hex')).toBe(root);
      expect(mth(VECTOR_LEAVES.slice(0, i + 1)).toString('hex')).toBe(root);
    });
    expect(rootHash(tree, 0)).toEqual(EMPTY_ROOT);
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  const leaves = Array.from({ length: 64 }, (_, i) => Buffer.from(`leaf ${i}`));
  const tree = treeOf(leaves);

  it('proves every leaf of every tree up to 64 leaves, the proofs equal to the RFC’s PATH, and refuses them altered', () => {
    for (let size = 1; size <= 64; size += 1) {
      const root = mth(leaves.slice(0, size));
      for (let index = 0; index < size; index += 1) {
        const proof = inclusionProof(tree, index, size);
        expect(hex(proof)).toEqual(hex(path(index, leaves.slice(0, size))));
        const leaf = leafHash(leaves[index]);
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        expect(verifyInclusion(leafHash('another leaf'), index, size, proof, root)).toBe(false);
        if (proof.length > 0) {
          const tampered = proof.map((p, i) => (i === proof.length - 1 ? sha(p) : p));
          expect(verifyInclusion(leaf, index, size, tampered, root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
        }
      }
    }
  });

  it('proves every pair of sizes up to 64 consistent, the proofs equal to the RFC’s PROOF, and refuses a wrong root or an altered proof', () => {
    for (let second = 1; second <= 64; second += 1) {
      const secondRoot = mth(leaves.slice(0, second));
      for (let first = 1; first <= second; first += 1) {
        const firstRoot = mth(leaves.slice(0, first));
        const proof = consistencyProof(tree, first, second);
        expect(hex(proof)).toEqual(first === second ? [] : hex(subproof(first, leaves.slice(0, second), true)));
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
        if (first < second) {
          expect(verifyConsistency(first, second, sha(firstRoot), secondRoot, proof)).toBe(false);
          expect(verifyConsistency(first, second, firstRoot, sha(secondRoot), proof)).toBe(false);
          const tampered = proof.map((p, i) => (i === 0 ? sha(p) : p));
          expect(verifyConsistency(first, second, firstRoot, secondRoot, tampered)).toBe(false);
        }
      }
    }
  });

  it('builds the same tree heads in memory and leaf by leaf, for every size up to 64', async () => {
    const builder = RootBuilder.empty();
    expect(builder.root()).toEqual(EMPTY_ROOT);
    for (let size = 1; size <= 64; size += 1) {
      builder.push(leafHash(leaves[size - 1]));
      const expected = mth(leaves.slice(0, size)).toString('hex');
      expect(builder.root().toString('hex')).toBe(expected);
      const memory = await MemoryTree.build(leaves.slice(0, size).map((leaf) => leafHash(leaf)));
      expect(memory.root().toString('hex')).toBe(expected);
      expect(hex(inclusionProof(memory, size - 1, size))).toEqual(hex(path(size - 1, leaves.slice(0, size))));
    }
  });

  it('takes the empty tree as a prefix of any, and no tree as a prefix of a smaller one', () => {
    expect(consistencyProof(tree, 0, 10)).toEqual([]);
    expect(verifyConsistency(0, 10, EMPTY_ROOT, mth(leaves.slice(0, 10)), [])).toBe(true);
    expect(() => consistencyProof(tree, 11, 10)).toThrow(RangeError);
    expect(verifyConsistency(11, 10, mth(leaves.slice(0, 11)), mth(leaves.slice(0, 10)), [])).toBe(false);
  });
});
