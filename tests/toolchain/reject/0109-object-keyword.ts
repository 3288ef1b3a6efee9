// `object` names no struct; it is only accepted in @extern signatures (see release()).
export function size(o: object): number { // expect: KEEL0109 "object"
  return 0;
}
