// React bindings of the Observable values: components re-render only when what they select changes.
import { useEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import { navigatedInApp } from '../app/router';
import type { Observable } from '../state/observable';

export function useObservable<T>(observable: Observable<T>): T {
  return useSyncExternalStore(observable.subscribe, observable.get);
}

/** `select` must return a stable reference (a field of the state), or a primitive. */
export function useSelected<T, U>(observable: Observable<T>, select: (value: T) => U): U {
  return useSyncExternalStore(observable.subscribe, () => select(observable.get()));
}

/** For derived values that change with every seat change: recomputed at most every `ms`. */
export function useThrottled<T, U>(
  observable: Observable<T>,
  compute: (value: T) => U,
  ms: number,
) {
  const [value, setValue] = useState(() => compute(observable.get()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    setValue(compute(observable.get()));
    const unsubscribe = observable.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = null;
        setValue(compute(observable.get()));
      }, ms);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [observable, compute, ms]);
  return value;
}

/** Re-renders every `ms` while mounted; returns the time of the last tick. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * For a page's heading (with tabIndex -1): after a navigation inside the app, focus moves to it,
 * so keyboard and screen-reader users start on the new page, not on a body they cannot see.
 */
export function useFocusOnNavigation<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (navigatedInApp()) ref.current?.focus({ preventScroll: true });
  }, []);
  return ref;
}
