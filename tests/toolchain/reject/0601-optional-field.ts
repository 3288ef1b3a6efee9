// A missing field would be undefined.
export class Config {
  verbose?: boolean; // expect: KEEL0601 "verbose"
  name: string | null = null;
  log?(msg: string): void; // expect: KEEL0601 "log"
}
