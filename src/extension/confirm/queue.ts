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
