// Entry point: `tsx src/main.ts`. Configuration comes from the environment (see README.md). Prints one
// JSON line {"msg":"listening","port":N} once it accepts connections; SIGTERM/SIGINT store everything
// pending, close every connection and exit 0.
import { ConfigError, configFromEnv } from './config';
import { createRedstringServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'bad configuration', error: error.message }) + '\n');
      process.exit(2);
    }
    throw error;
  }
  const server = await createRedstringServer(config);
  // Always printed, whatever the log level: scripts and tests wait for this line to learn the port.
  process.stdout.write(
    JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'listening', port: server.port, url: server.url }) + '\n',
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      server.log.warn('second signal: exiting without waiting', { signal });
      process.exit(1);
    }
    stopping = true;
    server.log.info('signal received', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.log.error('shutdown failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'server failed to start', error: (error as Error).message }) + '\n',
  );
  process.exit(1);
});
