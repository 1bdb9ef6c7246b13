// A value that components and background work share: work in flight (an answer being streamed, a file being
// uploaded) lives here, outside any component, so it goes on when the view that started it goes away.
import { useEffect, useState } from "preact/hooks";

export class Store<T> {
  private value: T;
  private readonly listeners = new Set<(value: T) => void>();

  constructor(initial: T) {
    this.value = initial;
  }

  get(): T {
    return this.value;
  }

  update(f: (value: T) => T): void {
    const next = f(this.value);
    if (next === this.value) return;
    this.value = next;
    for (const l of [...this.listeners]) l(next);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The store's current value; the component renders again when it changes. */
export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}
