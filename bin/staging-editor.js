#!/usr/bin/env node
// The CLI is bundled by `npm run build` (electron-vite, main build) into out/main/cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error(
    'staging-editor is not built yet: run `npm run build` in the project folder first.',
  );
  process.exit(1);
}
await import(cli.href);
