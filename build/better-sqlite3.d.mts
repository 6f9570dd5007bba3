export const projectRoot: string;
export const sqliteBinary: string;
export function installedElectronVersion(): string;
export function electronAbi(electronVersion: string): number | undefined;
export function verifyElectronBuild(target?: { electronVersion?: string; arch?: string }): void;
export function loadsInNode(): boolean;
export function buildForElectron(target?: {
  electronVersion?: string;
  arch?: string;
  platform?: string;
}): Promise<void>;
export function restoreForNode(): void;
