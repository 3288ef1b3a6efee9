// Module namespace objects do not exist in C.
import * as layout from "../../../kernel/arch/x86_64/layout.ts"; // expect: KEEL0802 "* as layout"
export const pages = layout.PAGE_SIZE;
