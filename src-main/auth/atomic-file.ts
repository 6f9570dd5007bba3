import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Files under the data folder hold keys: readable by the owner only. */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** A sibling temp file, unique per process and call, so concurrent writers never share one. */
function tempPathFor(path: string): string {
  const suffix = `${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  return join(dirname(path), `.${basename(path)}.${suffix}`);
}

async function writeTemp(path: string, content: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = tempPathFor(path);
  // 'wx': the temp name is fresh, never follow or reuse an existing file.
  await writeFile(temp, content, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return temp;
}

/**
 * Replaces `path` atomically (temp file + rename): readers see the old or the new content,
 * never a half-written file. The last writer wins.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = await writeTemp(path, content);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Creates `path` with `content` only if it does not exist yet, atomically: the temp file is
 * hard-linked into place, which fails when another process got there first. Returns false
 * when the file already existed (the caller then reads the winner's file).
 */
export async function createFileExclusive(path: string, content: string): Promise<boolean> {
  const temp = await writeTemp(path, content);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV'].includes(errorCode(error) ?? '')) throw error;
    // A file system without hard links: an exclusive copy still lets only one creator win.
    try {
      await copyFile(temp, path, constants.COPYFILE_EXCL);
      return true;
    } catch (copyError) {
      if (errorCode(copyError) === 'EEXIST') return false;
      throw copyError;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
