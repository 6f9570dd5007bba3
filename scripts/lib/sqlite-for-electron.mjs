// better-sqlite3 for `npm start`: the Electron build lives in a cache file of its own and the app
// loads it from there (STAGING_EDITOR_SQLITE_BINDING, honoured by unpackaged builds only), so
// node_modules keeps Node's build while the app runs and the Node tests keep working. A rebuild
// (which may download Electron's headers) happens only when no current Electron build exists.
import { join } from 'node:path';

/** The variable the development app reads its better-sqlite3 binary from (src-main/db/sqlite-binding.ts). */
export const SQLITE_BINDING_ENV = 'STAGING_EDITOR_SQLITE_BINDING';

/** One cache file per better-sqlite3 version, Electron ABI, platform and arch. */
export function electronBuildCachePath({ projectRoot, sqliteVersion, abi, platform, arch }) {
  return join(
    projectRoot,
    'node_modules',
    '.cache',
    'staging-editor',
    `better_sqlite3-${sqliteVersion}-electron-abi${abi}-${platform}-${arch}.node`,
  );
}

/**
 * Makes `cachedFile` an Electron build of better-sqlite3 and leaves Node's build in place.
 *
 * - probe(file): the ABI the file was built for, or undefined (build/native-abi.mjs).
 * - copy(from, to), rebuild() (in place, for Electron), restore() (puts Node's build back and
 *   throws a one-sentence error when it can't).
 *
 * Returns { binding, rebuilt }; throws an Error whose message is one sentence.
 */
export async function prepareSqliteForElectron({
  electronAbi,
  cachedFile,
  inPlaceFile,
  probe,
  copy,
  rebuild,
  restore,
}) {
  if (probe(cachedFile) === electronAbi) return { binding: cachedFile, rebuilt: false };
  // Left in place by an interrupted packaging run: keep it rather than build it again.
  if (probe(inPlaceFile) === electronAbi) {
    copy(inPlaceFile, cachedFile);
    restore();
    return { binding: cachedFile, rebuilt: false };
  }
  try {
    await rebuild();
  } catch (error) {
    // A failed rebuild may have left half a build in node_modules.
    restore();
    throw new Error(
      `better-sqlite3 could not be rebuilt for Electron (${firstLine(error)}): check the network (the rebuild downloads Electron's headers once) and run \`npm start\` again, or use the browser version with \`npm run serve\`.`,
    );
  }
  const built = probe(inPlaceFile);
  if (built !== electronAbi) {
    restore();
    throw new Error(
      `better-sqlite3 was rebuilt but is built for ABI ${built ?? 'unknown'}, not Electron's ${electronAbi}: run \`npm rebuild better-sqlite3\` and \`npm start\` again, or use the browser version with \`npm run serve\`.`,
    );
  }
  copy(inPlaceFile, cachedFile);
  restore();
  return { binding: cachedFile, rebuilt: true };
}

/** The script's exit code: the app's, but never 0 when Node's build could not be put back. */
export function exitCodeFor({ code, signal, nodeBuildRestored }) {
  if (!nodeBuildRestored) return 1;
  if (code !== null && code !== undefined) return code;
  return signal ? 1 : 0;
}

function firstLine(error) {
  return String(error?.message ?? error)
    .split('\n')[0]
    .replace(/[.:]\s*$/, '');
}
