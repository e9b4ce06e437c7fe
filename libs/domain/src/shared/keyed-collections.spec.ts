import { fold, inTransientScope, putEntry, updateEntry } from './keyed-collections';

interface Book {
  readonly title: string;
  readonly pages: Readonly<Record<string, { readonly n: number; readonly text: string }>>;
}

const write = (book: Book, n: number): Book => putEntry(book, 'pages', `p${n}`, { n, text: `page ${n}` });

describe('keyed collections', () => {
  const start: Book = { title: 'ledger', pages: { p0: { n: 0, text: 'page 0' } } };

  it('copy on every update outside a transient scope, leaving the original as it was', () => {
    const next = write(start, 1);
    expect(next).not.toBe(start);
    expect(Object.keys(start.pages)).toEqual(['p0']);
    expect(Object.keys(next.pages)).toEqual(['p0', 'p1']);
  });

  it('fold to what a plain reduce gives, without touching the state they start from', () => {
    const numbers = Array.from({ length: 50 }, (_, i) => i + 1);
    const evolve = (book: Book, n: number): Book => (n % 5 === 0 ? updateEntry(book, 'pages', `p${n - 1}`, { text: 'edited' }) : write(book, n));
    const folded = fold(start, numbers, evolve);
    expect(folded).toEqual(numbers.reduce(evolve, start));
    expect(start).toEqual({ title: 'ledger', pages: { p0: { n: 0, text: 'page 0' } } });
  });

  it('in a transient scope, copy a collection once and change the copy in place afterwards', () => {
    const result = inTransientScope(() => {
      const first = write(start, 1);
      const second = write(first, 2);
      expect(second.pages).toBe(first.pages);
      expect(first.pages).not.toBe(start.pages);
      return second;
    });
    expect(Object.keys(result.pages)).toEqual(['p0', 'p1', 'p2']);
    // Outside the scope again: every update copies.
    expect(write(result, 3).pages).not.toBe(result.pages);
  });
});
