import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version in the package.json nearest above this module (source tree or out/main). */
export function appVersion(start = import.meta.dirname): string {
  for (let dir = start; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'staging-editor' && pkg.version) return pkg.version;
    } catch {
      // keep looking upwards
    }
  }
  return '0.0.0';
}
