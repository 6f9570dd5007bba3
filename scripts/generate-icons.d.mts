export const ICON_SIZE: number;
export const sourcePath: string;
export const pngPath: string;
export function renderIcon(svg: string | Uint8Array): Uint8Array;
