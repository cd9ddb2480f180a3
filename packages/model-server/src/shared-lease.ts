/** A use of a process-wide value; `release` stops the value once no use of it is left. */
export interface Lease<T> {
  value: T;
  release(): Promise<void>;
}

/**
 * One value per key for the whole process, started on the first acquire and stopped when its last
 * lease is released. A failed start is not kept: the next acquire tries again.
 */
export function sharedPerKey<K, T>(start: (key: K) => Promise<T>, stop: (value: T) => Promise<void>): (key: K) => Promise<Lease<T>> {
  const entries = new Map<K, { value: Promise<T>; users: number }>();
  return async (key) => {
    let entry = entries.get(key);
    if (!entry) {
      const created = { value: start(key), users: 0 };
      entries.set(key, created);
      created.value.catch(() => entries.get(key) === created && entries.delete(key));
      entry = created;
    }
    const current = entry;
    current.users += 1;
    let value: T;
    try {
      value = await current.value;
    } catch (err) {
      current.users -= 1;
      throw err;
    }
    let released = false;
    return {
      value,
      release: async () => {
        if (released) return;
        released = true;
        current.users -= 1;
        if (current.users > 0) return;
        if (entries.get(key) === current) entries.delete(key);
        await stop(value);
      },
    };
  };
}
