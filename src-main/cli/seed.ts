import type { Settings } from '../config';
import { placesProgressBar } from './progress-bar';
import { openStore } from '../db/store';
import { samplePlaces } from '../places/sample-data';
import { createPlacesService, placesRepositoryFor } from '../places/service';

export async function seedPlaces(settings: Settings, count: number, seed: number): Promise<void> {
  const store = await openStore(settings);
  const places = createPlacesService(placesRepositoryFor(store));
  const bar = placesProgressBar('Seeding');
  const started = Date.now();
  let inserted = 0;
  let done = 0;
  try {
    bar.start(count, 0);
    for (const chunk of samplePlaces(count, seed, 5000)) {
      inserted += await places.insertPlaces(chunk);
      done += chunk.length;
      bar.update(done);
    }
  } finally {
    bar.stop();
    await store.close();
  }
  const skipped = count - inserted;
  console.log(
    `Inserted ${inserted} sample places into ${store.description} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (skipped ? ` (${skipped} already there, skipped).` : '.'),
  );
}
