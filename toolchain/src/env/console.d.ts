// The one piece of Node's global environment Keel programs use. keelc type-checks with this
// instead of @types/node, which costs seconds to load; host-only modules (which may use all of
// Node) are checked by the project's own tsc/vitest runs, not by keelc.
interface Console {
  log(...data: unknown[]): void;
}
declare var console: Console;
