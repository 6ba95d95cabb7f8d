import type { SimEvent } from './event-factory';

/** Something that happens at an instant and produces the events core banking publishes about it. */
export type Happening = (at: number) => SimEvent[] | SimEvent | undefined;

interface Entry {
  at: number;
  order: number;
  happen: Happening;
}

/**
 * Happenings in time order (ties in the order they were added). A happening may add later ones, e.g. a
 * transfer that bounces schedules its reversal, so the queue is a heap rather than a sorted list.
 */
export class Timeline {
  private readonly heap: Entry[] = [];
  private added = 0;

  add(at: number, happen: Happening): void {
    this.heap.push({ at, order: this.added++, happen });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i], this.heap[parent])) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent], this.heap[i]];
      i = parent;
    }
  }

  /** Runs happenings earlier than `until` in order, yielding their events. */
  *runUntil(until: number): Generator<SimEvent> {
    while (this.heap.length > 0 && this.heap[0].at < until) {
      const entry = this.pop();
      const produced = entry.happen(entry.at);
      if (Array.isArray(produced)) yield* produced;
      else if (produced) yield produced;
    }
  }

  private before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private pop(): Entry {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.heap.length && this.before(this.heap[left], this.heap[smallest])) smallest = left;
        if (right < this.heap.length && this.before(this.heap[right], this.heap[smallest])) smallest = right;
        if (smallest === i) break;
        [this.heap[i], this.heap[smallest]] = [this.heap[smallest], this.heap[i]];
        i = smallest;
      }
    }
    return top;
  }
}
