// Writes a Brotli (.br) and a gzip (.gz) copy beside each text asset the renderer build emits,
// for `staging-editor serve` to send as they are (@fastify/static's preCompressed): the browser
// downloads ~330 KiB instead of ~1.2 MB, and no request pays for compressing. The desktop app
// reads its files from disk and leaves the copies out (electron-builder.yml).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Files worth compressing: text, and big enough that the copy is smaller than its headers. */
export const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt)$/;
export const MIN_BYTES = 1024;

/** Compresses one file; answers the sizes written (a copy is skipped if it would not be smaller). */
export async function precompressFile(path) {
  const body = await readFile(path);
  const written = {};
  if (body.length < MIN_BYTES) return written;
  const copies = {
    br: await brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gz: await gz(body, { level: 9 }),
  };
  for (const [ext, copy] of Object.entries(copies)) {
    if (copy.length >= body.length) continue;
    await writeFile(`${path}.${ext}`, copy);
    written[ext] = copy.length;
  }
  return written;
}

/** The Vite plugin: after the bundle is written, compress what it wrote. */
export function precompress() {
  return {
    name: 'staging-editor-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir;
      if (!dir) return;
      const names = Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name));
      await Promise.all(names.map((name) => precompressFile(join(dir, name))));
    },
  };
}
