export declare const COMPRESSIBLE: RegExp;
export declare const MIN_BYTES: number;
export declare function precompressFile(path: string): Promise<{ br?: number; gz?: number }>;
export declare function precompress(): {
  name: string;
  apply: 'build';
  writeBundle(options: { dir?: string }, bundle: Record<string, unknown>): Promise<void>;
};
