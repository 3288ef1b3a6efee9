// Default exports and imports: keelc names symbols after exported names.
import Main from "./0801-default-export.ts"; // expect: KEEL0801 "Main"
export default class App { // expect: KEEL0801 "default"
  run(): number {
    return 0;
  }
}
export function start(): number {
  return new Main().run();
}
