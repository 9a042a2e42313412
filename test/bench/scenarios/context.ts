import type { ServerEndpoint } from '../load/targets';

/** What a scenario without a server (S8) is given in the load-generator process. */
export interface LocalContext {
  quick: boolean;
  /** Progress notes for the runner's log (stderr). */
  log(message: string): void;
}

/** What a scenario's load-generator half is given. */
export interface ScenarioContext extends LocalContext {
  server: ServerEndpoint;
}
