// Bootstrap of the SQLite writer thread when the server runs from its TypeScript sources (in-process tests
// under vitest, `pnpm dev` under tsx). A worker thread does not inherit the parent's module hooks in every
// one of them, so the thread registers tsx itself, then loads its real entry. The compiled server
// (build.mjs) has its own dist/writer-thread.mjs in this file's place.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./writer-thread.ts', import.meta.url).href);
