import { describe, expect, it } from 'vitest';
import { BlockAnchors } from './block-anchors';

const ids = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `place-${from + i}`);

describe('where the next block starts', () => {
  it('asks for the block after one the grid read by keyset: after its last place', () => {
    const anchors = new BlockAnchors();
    const first = anchors.ask('rating:desc', 0, 100);
    expect(first.after).toBeUndefined();
    first.answered(ids(0, 100));
    expect(anchors.ask('rating:desc', 100, 100).after).toBe('place-99');
    // A jump: nothing read right before it, so by number.
    expect(anchors.ask('rating:desc', 5000, 100).after).toBeUndefined();
  });

  it('continues from a jump once the jumped-to block is in', () => {
    const anchors = new BlockAnchors();
    anchors.ask(undefined, 5000, 100).answered(ids(5000, 100));
    expect(anchors.ask(undefined, 5100, 100).after).toBe('place-5099');
    expect(anchors.ask(undefined, 4900, 100).after).toBeUndefined();
  });

  it('has nothing after a short block: the rows ended there', () => {
    const anchors = new BlockAnchors();
    anchors.ask(undefined, 0, 100).answered(ids(0, 40));
    expect(anchors.ask(undefined, 100, 100).after).toBeUndefined();
  });

  it('forgets every last place when the grid re-reads, and a block asked before cannot leave one', () => {
    const anchors = new BlockAnchors();
    anchors.ask(undefined, 0, 100).answered(ids(0, 100));
    const inFlight = anchors.ask(undefined, 100, 100);
    expect(inFlight.after).toBe('place-99');
    anchors.reread();
    // The re-read asks again by number...
    expect(anchors.ask(undefined, 100, 100).after).toBeUndefined();
    // ...and the answer of the block asked before the re-read arrives late: it anchors nothing.
    inFlight.answered(ids(100, 100));
    expect(anchors.ask(undefined, 200, 100).after).toBeUndefined();
  });

  it('starts over with a new sort, and an answer of the old sort anchors nothing', () => {
    const anchors = new BlockAnchors();
    anchors.ask('name', 0, 100).answered(ids(0, 100));
    const old = anchors.ask('name', 100, 100);
    expect(anchors.ask('rating', 100, 100).after).toBeUndefined();
    old.answered(ids(100, 100));
    expect(anchors.ask('rating', 200, 100).after).toBeUndefined();
    // Back to the first sort: its blocks are read again from the top, not continued from before.
    expect(anchors.ask('name', 100, 100).after).toBeUndefined();
  });
});
