import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../../src-shared/contract';
import { onlineAnnouncement, syncIndicatorView } from './sync-indicator-model';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

const team: SyncStatus = {
  online: true,
  pending: 0,
  oldest_pending_at: null,
  conflicts: 0,
  last_synced_at: null,
  mode: 'team',
  syncing: false,
  forced_offline: false,
  rejected: 0,
  pull_progress: null,
  last_error: null,
};

describe('sync indicator', () => {
  it('single mode shows nothing at all', () => {
    expect(syncIndicatorView({ ...team, mode: 'single' }, NOW)).toBeNull();
  });

  it('online with nothing waiting', () => {
    const view = syncIndicatorView({ ...team, last_synced_at: minutesAgo(5) }, NOW);
    expect(view).toMatchObject({
      state: 'online',
      label: 'Online',
      pendingText: null,
      conflictsText: 'No conflicts',
      rejectedText: null,
      lastSyncedText: 'Last synced 5 min ago',
      progress: null,
      errorText: null,
    });
  });

  it('offline because the database is unreachable: the counts, the age of the oldest, the error', () => {
    const view = syncIndicatorView(
      {
        ...team,
        online: false,
        pending: 3,
        oldest_pending_at: minutesAgo(12),
        conflicts: 2,
        rejected: 1,
        last_error: 'PostgreSQL is unreachable: connect ECONNREFUSED 127.0.0.1:5432',
      },
      NOW,
    );
    expect(view).toMatchObject({
      state: 'offline',
      label: 'Offline: this computer',
      pendingText: '3 decisions not synced, oldest 12 min',
      conflictsText: '2 conflicts',
      rejectedText: '1 decision rejected',
      lastSyncedText: 'Never synced',
      errorText: 'PostgreSQL is unreachable: connect ECONNREFUSED 127.0.0.1:5432',
    });
    expect(view?.detail).toMatch(/does not answer/);
  });

  it('offline by choice says so', () => {
    const view = syncIndicatorView({ ...team, online: false, forced_offline: true }, NOW);
    expect(view?.state).toBe('offline');
    expect(view?.detail).toMatch(/^You chose to work offline/);
  });

  it('one decision, singular, with large counts grouped', () => {
    expect(
      syncIndicatorView({ ...team, pending: 1, oldest_pending_at: minutesAgo(0) }, NOW)
        ?.pendingText,
    ).toBe('1 decision not synced, oldest under 1 min');
    expect(syncIndicatorView({ ...team, conflicts: 12345 }, NOW)?.conflictsText).toBe(
      '12,345 conflicts',
    );
  });

  it('syncing, with the first pull’s progress', () => {
    const view = syncIndicatorView(
      { ...team, syncing: true, pull_progress: { done: 1200, total: 50000 } },
      NOW,
    );
    expect(view?.state).toBe('syncing');
    expect(view?.label).toBe('Syncing…');
    expect(view?.progress).toEqual({
      done: 1200,
      total: 50000,
      text: 'First download: 1,200 of 50,000 changes',
      percent: '2%',
    });
  });

  it('offline wins over syncing; an empty estimate shows no bar; done never passes total', () => {
    expect(syncIndicatorView({ ...team, online: false, syncing: true }, NOW)?.state).toBe(
      'offline',
    );
    expect(
      syncIndicatorView({ ...team, syncing: true, pull_progress: { done: 0, total: 0 } }, NOW)
        ?.progress,
    ).toBeNull();
    expect(
      syncIndicatorView({ ...team, syncing: true, pull_progress: { done: 12, total: 10 } }, NOW)
        ?.progress?.done,
    ).toBe(10);
  });
});

describe('online/offline announcement', () => {
  it('nothing for the first status, nor for count changes', () => {
    expect(onlineAnnouncement(null, { ...team, online: false })).toBeNull();
    expect(onlineAnnouncement(team, { ...team, pending: 4, syncing: true })).toBeNull();
  });

  it('going offline and coming back', () => {
    expect(onlineAnnouncement(team, { ...team, online: false })).toMatch(/^Offline: /);
    expect(onlineAnnouncement(team, { ...team, online: false, forced_offline: true })).toMatch(
      /^Working offline: /,
    );
    expect(onlineAnnouncement({ ...team, online: false }, team)).toMatch(/^Back online/);
  });

  it('never in single mode', () => {
    const single = { ...team, mode: 'single' as const };
    expect(onlineAnnouncement(single, { ...single, online: false })).toBeNull();
  });
});
