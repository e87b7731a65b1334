// Runs confirmation flows one at a time, in order: concurrent requests wait, none is lost. Pure.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Requests waiting behind the one on screen. */
  get waiting(): number {
    return Math.max(0, this.pending - 1);
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task, task);
    this.tail = result.then(() => undefined, () => undefined).finally(() => { this.pending -= 1; });
    return result;
  }
}

/**
 * Runs `task` in the queue unless `deadline` (ms since the epoch) passes first. The deadline counts from the request,
 * not from when the task reaches the front: a task still queued at its deadline resolves to `expired` right then and
 * never runs (its turn is skipped), however long the flow in front of it (e.g. a policy approval, which has no
 * deadline) takes. A task that started gets the same deadline and must honour it itself.
 */
export function runBeforeDeadline<T, E>(queue: SerialQueue, deadline: number, expired: E, task: (deadline: number) => Promise<T>): Promise<T | E> {
  return new Promise<T | E>((resolve, reject) => {
    let settled = false;
    let started = false;
    const timer = setTimeout(() => {
      if (started || settled) return;
      settled = true;
      resolve(expired);
    }, Math.max(0, deadline - Date.now()));
    queue.run(async () => {
      if (settled || Date.now() >= deadline) {
        clearTimeout(timer);
        if (!settled) { settled = true; resolve(expired); }
        return;
      }
      started = true;
      clearTimeout(timer);
      try {
        const value = await task(deadline);
        settled = true;
        resolve(value);
      } catch (error) {
        settled = true;
        reject(error);
      }
    }).catch(() => undefined);
  });
}
