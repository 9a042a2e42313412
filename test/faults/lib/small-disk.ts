// A small disk the suite can fill up: a tmpfs of a few MiB mounted on a temp directory. We run as root,
// so permission bits cannot make storage fail; a full filesystem can. Needs CAP_SYS_ADMIN (mount);
// `smallDiskSupport()` says why not when it is missing, so the row can skip with a clear reason.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class SmallDisk {
  private constructor(readonly path: string) {}

  static mount(sizeBytes: number): SmallDisk {
    const path = mkdtempSync(join(tmpdir(), 'redstring-small-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', path], { stdio: 'pipe' });
    } catch (error) {
      rmSync(path, { recursive: true, force: true });
      throw error;
    }
    return new SmallDisk(path);
  }

  get freeBytes(): number {
    const stats = statfsSync(this.path);
    return stats.bavail * stats.bsize;
  }

  private get fillerPath(): string {
    return join(this.path, 'filler');
  }

  /** Writes a filler file until the filesystem says it is full; returns how many bytes it took. */
  fill(): number {
    const fd = openSync(this.fillerPath, 'a');
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    let written = 0;
    try {
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          // Top off the last partial chunk, byte granularity does not matter on a page-sized fs.
          for (let size = 32 * 1024; size >= 512; size /= 2) {
            try {
              written += writeSync(fd, chunk.subarray(0, size));
            } catch {
              // this size no longer fits; try a smaller one
            }
          }
          return written;
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Frees the space the filler took: storage "recovers". */
  free(): void {
    rmSync(this.fillerPath, { force: true });
  }

  unmount(): void {
    try {
      execFileSync('umount', [this.path], { stdio: 'pipe' });
    } catch {
      // Still busy (a process we started has not exited yet): detach lazily so nothing is left mounted.
      execFileSync('umount', ['-l', this.path], { stdio: 'pipe' });
    }
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** null when a small disk can be mounted here, otherwise the reason it cannot. */
export function smallDiskSupport(): string | null {
  try {
    SmallDisk.mount(1024 * 1024).unmount();
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot mount a tmpfs to fill up (needs root with CAP_SYS_ADMIN): ${stderr || String(error)}`;
  }
}
