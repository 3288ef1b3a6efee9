// Loads every module of the capability and IPC layer: each object module registers its destructor
// when it is evaluated, and keelc compiles only modules reached through value imports. The kernel
// entry (and the system-call layer) imports this file once.
import "../cap/cdt.ts";
import "./endpoint.ts";
import "./notification.ts";
import "./wait-set.ts";
import "./reply.ts";
