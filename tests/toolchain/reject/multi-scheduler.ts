// A scheduler sketch mixing closures, unions and library calls.
export class Thread {
  id = 0;
  priority = 0;
}

export class RunQueue {
  threads = new Array<Thread | null>(8).fill(null);
  count = 0;

  pick(minimum: number): Thread | null {
    let best: Thread | null = null;
    this.threads.forEach((t) => { // expect: KEEL0706 "forEach"
      if (t !== null && t.priority >= minimum) best = t; // expect: KEEL0501 "minimum" KEEL0501 "best"
    });
    return best;
  }

  state(t: Thread): "ready" | "blocked" { // expect: KEEL0104 '"ready"'
    return t.id > 0 ? "ready" : "blocked";
  }

  copy(): Thread[] {
    const all = [...this.threads]; // expect: KEEL0504 "...this"
    return all.filter((t) => t !== null); // expect: KEEL0706 "filter"
  }

  live(): Thread[] {
    return this.threads as Thread[]; // expect: KEEL0607 "this.threads"
  }
}
