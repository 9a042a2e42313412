// The load generator process: runs one scenario's client side against one server and prints its result
// as the last stdout line ("RESULT {json}"). Started by run.ts, pinned to its own core.
import { LOCAL_LOADS, SERVER_LOADS, type LoadSpec } from '../scenarios/registry';

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const tag = `${spec.scenario}${spec.server ? ` ${spec.server.kind}` : ''}`;
  const log = (message: string) => process.stderr.write(`  [${tag}] ${message}\n`);
  const local = LOCAL_LOADS[spec.scenario];
  const remote = SERVER_LOADS[spec.scenario];
  let result: unknown;
  if (local) result = await local({ quick: spec.quick, log });
  else if (remote && spec.server) result = await remote({ server: spec.server, quick: spec.quick, log });
  else throw new Error(`scenario ${spec.scenario} cannot run here (server given: ${Boolean(spec.server)})`);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`loadgen failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
