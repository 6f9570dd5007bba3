// electron-builder afterPack hook: the app's files are copied (with Electron's better-sqlite3),
// so node_modules gets Node's build back and the tests keep working. The fuses are flipped by
// electron-builder itself after this hook (`electronFuses` in electron-builder.yml), right before
// signing.
import { restoreForNode } from './better-sqlite3.mjs';

export default async function afterPack() {
  restoreForNode();
}
