// Only the project's own .ts modules are compiled.
import { EventEmitter } from "node:events"; // expect: KEEL0808 '"node:events"'
export const kind = EventEmitter.defaultMaxListeners;
