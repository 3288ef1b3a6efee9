// Built-in classes have no struct to extend.
export class KernelError extends Error { // expect: KEEL0612 "Error {"
  code = 1;
}
