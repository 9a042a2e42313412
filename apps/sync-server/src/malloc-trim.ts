// The C heap's free pages, handed back to the operating system (native/malloc_trim.c, built at install).
// glibc gives freed memory back only from the top of its heaps; once hundreds of boards have unloaded,
// the free space left between what is still live stays resident until malloc_trim(0) is called.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Built by native/build.mjs. The same path from src/*.ts and from the bundle in dist/. */
const ADDON_PATH = fileURLToPath(new URL('../native/build/Release/malloc_trim.node', import.meta.url));

interface MallocTrimAddon {
  trim(): boolean;
  supported: boolean;
}

export type TrimCHeap = () => void;

/**
 * The trim call, or why there is none: the helper was not built (no C compiler at install) or the C
 * library has no such call (not glibc). The server runs either way.
 */
export function loadCHeapTrim(): { trim: TrimCHeap } | { unavailable: string } {
  if (!existsSync(ADDON_PATH)) return { unavailable: `not built (${ADDON_PATH} is missing; run pnpm install)` };
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as MallocTrimAddon;
    if (!addon.supported) return { unavailable: 'this C library has no malloc_trim' };
    return { trim: () => void addon.trim() };
  } catch (error) {
    return { unavailable: `failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
}
