// Child-process tests run the server as deployed: the compiled bundle, built fresh from the sources here.
import { buildServer } from '../build.mjs';

export default async function setup(): Promise<void> {
  await buildServer();
}
