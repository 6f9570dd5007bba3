import { describe, expect, it } from 'vitest';
import { cursorAfterFocusEvent, cursorAfterRowsChanged, type FocusedRow } from './grid-cursor';

const at = (index: number, placeId: string | null): FocusedRow => ({ index, placeId });
const indexes = (rows: Record<string, number>) => (id: string) => rows[id] ?? null;

describe('the grid cursor (the row the reviewer is on)', () => {
  it('follows its row when rows above it left the view and another row slid under the focus', () => {
    // On row 5 = place "f"; rows above left, "f" is now row 3 and "g" sits at index 5.
    const next = cursorAfterRowsChanged(at(5, 'f'), at(5, 'g'), indexes({ f: 3, g: 5 }));
    expect(next).toEqual({ cursor: at(3, 'f'), moveTo: 3 });
  });

  it('stays put when nothing moved, and learns the place once a loading row arrives', () => {
    expect(cursorAfterRowsChanged(at(5, 'f'), at(5, 'f'), indexes({ f: 5 }))).toEqual({
      cursor: at(5, 'f'),
      moveTo: null,
    });
    expect(cursorAfterRowsChanged(at(100, null), at(100, 'x'), indexes({ x: 100 }))).toEqual({
      cursor: at(100, 'x'),
      moveTo: null,
    });
  });

  it('never pulls the focus back to a row the reviewer already left (its focus event is late)', () => {
    // Keys moved the focus from row 4 to row 7; the grid reports its events later, so the
    // cursor may still say row 4 when the rows change: the focus stays on row 7.
    const next = cursorAfterRowsChanged(at(4, 'e'), at(7, 'h'), indexes({ e: 4, h: 7 }));
    expect(next).toEqual({ cursor: at(7, 'h'), moveTo: null });
  });

  it('stays where it is when its row left the view altogether', () => {
    expect(cursorAfterRowsChanged(at(5, 'f'), at(5, 'g'), indexes({ g: 5 }))).toEqual({
      cursor: at(5, 'g'),
      moveTo: null,
    });
  });

  it('takes a focus event only while it still describes the focus', () => {
    // The event says row 4, the focus is on row 7 already: a late event, ignored.
    expect(cursorAfterFocusEvent(at(7, 'h'), 4, at(7, 'h'))).toEqual(at(7, 'h'));
    expect(cursorAfterFocusEvent(at(6, 'g'), 4, at(7, 'h'))).toEqual(at(6, 'g'));
    // Current: taken, with the place as it is now.
    expect(cursorAfterFocusEvent(at(6, 'g'), 7, at(7, 'h'))).toEqual(at(7, 'h'));
    // Focus left the rows.
    expect(cursorAfterFocusEvent(at(6, 'g'), null, null)).toBeNull();
  });
});
