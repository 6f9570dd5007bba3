export function packagedExecutable(distDir: string, platform: string, arch: string): string;
