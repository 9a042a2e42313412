// Tests that start the server as a child process run it as deployed: the compiled bundle, built fresh
// from the sources before any test file runs.
import { buildServer } from '@redstring/sync-server/build';

export default async function setup(): Promise<void> {
  await buildServer();
}
