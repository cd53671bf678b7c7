// A value that changes and says so: the bridge from the non-React core to React's
// useSyncExternalStore and to the canvas renderer.
export type Listener = () => void;

export class Observable<T> {
  private readonly listeners = new Set<Listener>();

  constructor(private value: T) {}

  get = (): T => this.value;

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener();
  }

  update(change: (value: T) => T): void {
    this.set(change(this.value));
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
