// Bootstrap of the SQLite writer thread. The server runs from TypeScript sources (under `node --import tsx`,
// the tsx CLI, or vitest), and a worker thread does not inherit the parent's module hooks in every one of
// them, so the thread registers tsx itself, then loads its real entry.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./writer-thread.ts', import.meta.url).href);
