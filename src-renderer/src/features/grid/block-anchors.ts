/**
 * Where the next block of rows starts, for a grid scrolled block by block (issue 11). A block
 * asked for by number makes the server count `(page - 1) x size` rows first, which costs more
 * the deeper the block (hundreds of milliseconds at 4,000,000 rows on PostgreSQL). A block that
 * follows one the grid already has is asked for by keyset instead: `after` the last place of
 * that block, a few milliseconds at any depth.
 *
 * A block's last place says where the next one starts only for the rows the grid read in the
 * same pass. When the grid re-reads its blocks (a decision moved rows out of a filtered view,
 * say), it asks for them all at once, by number, and the old last places may now be a few rows
 * off: `reread()` forgets them, and a block asked for before it can't leave one behind. So does
 * a new sort: the grid reads its blocks again from the top.
 */
export class BlockAnchors {
  private pass = 0;
  private sort: string | undefined;
  /** A block's first row -> the last place of the block before it. */
  private readonly lastPlaces = new Map<number, string>();

  /** The grid is about to re-read every block: no block read so far anchors the next. */
  reread(): void {
    this.pass += 1;
    this.lastPlaces.clear();
  }

  /**
   * Asking for the block at `startRow` (`sort` as sent): the place it continues after, if the
   * grid read the block before it in this pass, and the way to record this block's answer.
   */
  ask(
    sort: string | undefined,
    startRow: number,
    size: number,
  ): { after: string | undefined; answered(placeIds: readonly string[]): void } {
    if (sort !== this.sort) {
      this.sort = sort;
      this.reread();
    }
    const pass = this.pass;
    return {
      after: startRow > 0 ? this.lastPlaces.get(startRow) : undefined,
      answered: (placeIds) => {
        // A short block is the end of the rows: nothing follows it.
        if (pass !== this.pass || placeIds.length !== size) return;
        this.lastPlaces.set(startRow + size, placeIds[size - 1]!);
      },
    };
  }
}
