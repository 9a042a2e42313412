// Bridges an external event source (a Y.Doc connection, a socket hub) into Svelte reactivity: reading
// `.current` inside an effect or template subscribes to the source for as long as it is read.
import { createSubscriber } from 'svelte/reactivity';

export interface Subscribable {
  subscribe(listener: () => void): () => void;
}

export class Reactive<T> {
  readonly #subscribe: () => void;

  constructor(
    source: Subscribable,
    private readonly read: () => T,
  ) {
    this.#subscribe = createSubscriber((update) => source.subscribe(update));
  }

  get current(): T {
    this.#subscribe();
    return this.read();
  }
}

/** A ticking clock (for countdowns): `.current` is Date.now() refreshed every `intervalMs`. */
export class Ticker {
  readonly #subscribe: () => void;

  constructor(intervalMs = 1000) {
    this.#subscribe = createSubscriber((update) => {
      const timer = setInterval(update, intervalMs);
      return () => clearInterval(timer);
    });
  }

  get current(): number {
    this.#subscribe();
    return Date.now();
  }
}
