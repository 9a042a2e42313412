// What the root layout shares with every page: who I am and this tab's callout connection.
import { getContext, setContext } from 'svelte';
import type { StoredIdentity } from '../identity';
import type { CalloutHub } from '../callouts/callout-hub';

export interface AppContext {
  readonly identity: StoredIdentity | undefined;
  readonly hub: CalloutHub | undefined;
  /** Ask for the name/colour dialog again (to change them). */
  editIdentity(): void;
  /** The board the user is on, so banners can tell "this board" from others. */
  currentBoardId: string | undefined;
  toast(message: string, kind?: 'info' | 'error'): void;
}

const KEY = Symbol('redstring-app');

export function setAppContext(ctx: AppContext): void {
  setContext(KEY, ctx);
}

export function appContext(): AppContext {
  return getContext<AppContext>(KEY);
}
