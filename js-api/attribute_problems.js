// Each wrong attribute value is told to the page once, as an `error` event: at start() / play() for the
// values the element was given before, at once for a value set while it runs; not again each time the
// attributes are read (set() and then start() or play() each reported every problem: every such event
// came twice). A value fixed and then broken again is told again.
export class AttributeProblems {
  /** @param {(message: string) => void} emit */
  constructor(emit) {
    this.emit = emit;
    this.current = new Set();
  }

  /** @param {string[]} problems what normalize*Attributes found wrong now */
  report(problems) {
    for (const p of problems) if (!this.current.has(p)) this.emit(p);
    this.current = new Set(problems);
  }
}
