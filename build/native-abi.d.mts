export function readModuleVersion(bytes: Uint8Array): number | undefined;
export function readBinaryArch(
  bytes: Uint8Array,
): 'x64' | 'arm64' | 'ia32' | 'arm' | 'universal' | undefined;
export function electronBuildProblem(build: {
  bytes: Uint8Array;
  file: string;
  electronVersion: string;
  electronAbi?: number;
  nodeAbi: number;
  arch: string;
}): string | null;
export function moduleVersionOfFile(file: string): number | undefined;
export function installedElectronAbi(projectRoot: string): number;
