// Loads every module of the capability and IPC layer: each object module registers its destructor
// when it is evaluated, so all of them must be evaluated before the first object is destroyed.
// The kernel entry (and the system-call layer) imports this file once.
import "../cap/cdt.ts";
import "./endpoint.ts";
import "./notification.ts";
import "./wait-set.ts";
import "./reply.ts";
