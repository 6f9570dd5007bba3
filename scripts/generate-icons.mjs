// Renders build/icon.svg, the one source image of the app's icon, to build/icon.png at
// 1024x1024: electron-builder derives the macOS .icns, the Windows .ico and Linux's icon sizes
// from that PNG (icon: build/icon.png in electron-builder.yml). Run `npm run icons` after
// changing the SVG, and commit both files.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const ICON_SIZE = 1024;
export const sourcePath = fileURLToPath(new URL('../build/icon.svg', import.meta.url));
export const pngPath = fileURLToPath(new URL('../build/icon.png', import.meta.url));

/** The PNG bytes of an SVG rendered ICON_SIZE pixels wide, on a transparent background. */
export function renderIcon(svg) {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: ICON_SIZE },
    background: 'rgba(0,0,0,0)',
  });
  return resvg.render().asPng();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(pngPath, renderIcon(readFileSync(sourcePath)));
  console.log(`Wrote ${pngPath} (${ICON_SIZE}x${ICON_SIZE}) from ${sourcePath}.`);
}
