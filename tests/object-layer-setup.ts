// Host tests run kernel modules without the kernel entry: install the object layer's operations
// in the capability layer as kernel/main.ts does at boot (kernel/object/object-type.ts).
import { objectLayerInit } from "../kernel/object/object-type.ts";

objectLayerInit();
