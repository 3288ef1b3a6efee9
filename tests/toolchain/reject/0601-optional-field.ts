// A missing field would be undefined.
export class Config {
  verbose?: boolean; // expect: KEEL0601 "verbose"
  level: number | null = null;
  log?(msg: string): void; // expect: KEEL0601 "log"
}
