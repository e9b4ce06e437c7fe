import { comparePositions, decodePositionToken, encodePositionToken, InvalidPositionTokenError } from './position';

describe('position tokens', () => {
  it.each([
    { commit: 0n, prepare: 0n },
    { commit: 1n, prepare: 1n },
    { commit: 18446744073709551615n, prepare: 18446744073709551614n },
    { commit: -1n, prepare: -1n },
  ])('round-trip %p losslessly', (position) => {
    const token = encodePositionToken(position);
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(decodePositionToken(token)).toEqual(position);
  });

  it.each(['', 'p1.', 'p1.!!!', '42', 'p1.' + Buffer.from('1.x').toString('base64url')])('refuses %p', (token) => {
    expect(() => decodePositionToken(token)).toThrow(InvalidPositionTokenError);
  });

  it('orders by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 1n })).toBe(0);
  });
});
