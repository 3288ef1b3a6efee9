// `#private` names: use the private modifier.
export class Secret {
  #key = 7; // expect: KEEL0609 "#key"
  private salt = 3;
  reveal(): number {
    return this.#key + this.salt; // expect: KEEL0609 "#key"
  }
}
