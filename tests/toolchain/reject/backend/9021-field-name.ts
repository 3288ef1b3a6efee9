// A field named by a string literal.
class Header {
  "content-length": number = 0; // expect: KEEL9021 '"content-length"'
}
const h = new Header();
console.log(h === null);
