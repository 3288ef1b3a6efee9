// Every KEEL diagnostic of keelc: what it rejects, why, and what to write instead. KEEL0101-0902
// come from the subset checker (./index.ts), KEEL9000-9199 from the back end (../backend/), which
// compiles only programs the checker accepts. docs/diagnostics.md is the readable form of this
// table (a test keeps the two in step).

export class Rule {
  constructor(
    readonly code: number,
    /** Short description of the rejected construct (the table's first column). */
    readonly title: string,
    /** Why Node and C could disagree, or why keelc cannot compile it. */
    readonly why: string,
    /** What to write instead. */
    readonly instead: string,
    /** A keelc bug rather than the program's (exit status 3). */
    readonly internal: boolean = false,
  ) {}
}

const rules = new Map<number, Rule>();
function rule(code: number, title: string, why: string, instead: string, internal = false): number {
  if (rules.has(code)) throw new Error(`duplicate rule KEEL${code}`);
  rules.set(code, new Rule(code, title, why, instead, internal));
  return code;
}

/** Shorter subjects for messages whose table title lists every variant. */
const subjects = new Map<number, string>([
  [103, "`undefined`"],
  [104, "a union type other than `T | null` with T a reference type"],
  [105, "a computed or literal type"],
  [106, "an object type"],
  [109, "the `object` type"],
  [206, "mixing bigint and number"],
  [207, "bigint arithmetic outside `BigInt.asUintN(64, ...)`"],
  [208, "this bigint wrap"],
  [209, "this `**`"],
  [306, "`void` used as a value"],
  [411, "this use of throw or Error"],
  [412, "this for...of"],
  [505, "a getter, setter or accessor field"],
  [508, "an overload or a function without a body"],
  [602, "a field without an initialiser"],
  [613, "this array construction"],
  [706, "a member of a built-in type"],
  [711, "a `%` directive in console.log's first argument"],
  [712, "printing this value"],
]);

/** The subject of a diagnostic message when no more specific detail is given. */
export function subjectFor(code: number): string {
  return subjects.get(code) ?? ruleFor(code).title;
}

export function ruleFor(code: number): Rule {
  const r = rules.get(code);
  if (!r) throw new Error(`unknown rule KEEL${code}`);
  return r;
}

export function allRules(): Rule[] {
  return [...rules.values()].sort((a, b) => a.code - b.code);
}

// 01xx types
export const ANY = rule(101, "the `any` type", "keelc needs a concrete C type for every value", "write the real type");
export const UNKNOWN = rule(102, "the `unknown` type", "keelc needs a concrete C type for every value and cannot narrow at run time", "write the real type");
export const UNDEFINED = rule(103, "`undefined` (type or value), or `void` outside a return type", "Keel has no undefined value: C has no counterpart for it", "use `T | null` and `null` for absence, or a sentinel value");
export const UNION = rule(104, "a union type other than `T | null` where T is a class, array, typed array, string or function type (so also `number | null`)", "a value must have one C representation; only a reference, a C pointer, can be null", "use `T | null` for references; for numbers, an enum, a sentinel value (-1) or a separate boolean field");
export const TYPE_OPERATOR = rule(105, "a computed or literal type (`&`, `keyof`, `typeof` in a type, indexed access, mapped, conditional, template literal, literal types)", "keelc maps only named types onto C types", "write a named type: a class, enum, primitive, array or function type");
export const OBJECT_TYPE = rule(106, "an object type literal, interface, or anonymous object type", "data lives in C structs, which come from nominal classes only", "declare a class with every field initialised");
export const TUPLE = rule(107, "a tuple type", "tuples mix element types in one array, which has no C layout in Keel", "return a small class instance, or use a fixed array of one element type");
export const SYMBOL = rule(108, "the `symbol` type", "symbols have no C representation", "use an enum or a number");
export const OBJECT_KEYWORD = rule(109, "the `object`, `Object` or `{}` type outside an `@extern` signature", "it names no struct keelc could lay out", "name the class");
export const TYPED_ARRAY_KIND = rule(110, "`Float32Array`, `Float64Array`, `Float16Array` or `BigInt64Array`", "floats do not exist in Keel, and a signed 64-bit element does not fit `bigint` (a uint64_t)", "use `Uint8Array` ... `Int32Array`, `Uint8ClampedArray` or `BigUint64Array`");

// 02xx numbers
export const FLOAT_LITERAL = rule(201, "a numeric literal with a fraction or an exponent", "numbers are int64_t in C, so fractions cannot exist", "write the integer in decimal, hex or binary");
export const UNSAFE_LITERAL = rule(202, "an integer literal outside ±(2^53-1), or a bigint literal of 2^64 or more", "Node would round the number (or the bigint cannot fit uint64_t), so the two sides would disagree", "use a bigint for 64-bit patterns, or a smaller value");
export const DIVISION = rule(203, "`/` outside `Math.floor(a / b)`, `Math.ceil(a / b)`, `Math.round(a / b)`, `Math.trunc(a / b)` or `(a / b) | 0`", "numbers are integers in Keel and plain division could produce a fraction", "write Math.floor(a / b), Math.trunc(a / b) or (a / b) | 0");
export const MATH = rule(204, "a `Math` member other than floor, ceil, round, trunc, abs, sign, min, max, imul, clz32 and pow (sqrt, log, random, PI, ...), or Math.min()/Math.max() without arguments", "Keel has only the integer members of Math; the others produce or need floating point (and min()/max() alone give Infinity)", "use integer arithmetic (e.g. a binary search for an integer square root)");
export const NON_INTEGER_CONSTANT = rule(205, "`NaN`, `Infinity`, or a non-integer `Number` constant (EPSILON, MAX_VALUE, ...)", "it is not an integer and has no int64_t value", "write an explicit sentinel value (e.g. Number.MAX_SAFE_INTEGER)");
export const BIGINT_MIX = rule(206, "mixing `bigint` and `number` (comparison, `BigInt(x)` of a non-number, `Number(x)` of a string)", "the C types differ (uint64_t and int64_t) and conversions must be explicit", "convert explicitly with BigInt(n) or Number(b)");
export const BIGINT_WRAP = rule(207, "bigint `+ - * << ~`, unary `-`, `++`, `--` or a compound assignment not directly inside `BigInt.asUintN(64, ...)`, other than `+ - * <<` between constants whose exact value lies in [0, 2^64)", "the result could leave [0, 2^64): Node keeps the exact value, C wraps", "write BigInt.asUintN(64, a + b)");
export const BIGINT_WIDTH = rule(208, "`BigInt.asUintN` with a width that is not an integer literal from 0 to 64, or `BigInt.asIntN`", "bigint is a uint64_t: only unsigned wraps of at most 64 bits have a C meaning", "write BigInt.asUintN(64, x) (or a narrower literal width)");
export const EXPONENT = rule(209, "`**` on bigint, or `**` or `Math.pow` whose exponent is not a non-negative integer literal", "a negative exponent gives a fraction and a bigint power could exceed 64 bits", "write the multiplication out, or use a shift");
export const FLOOR_ARGUMENT = rule(210, "`Math.floor`, `Math.ceil`, `Math.round` or `Math.trunc` not applied to exactly one division `a / b`", "on integers they only make sense around a division, which keelc compiles to exact integer division", "write Math.floor(a / b), or drop the call");
export const UNARY_PLUS = rule(211, "unary `+` on something other than a number", "it converts strings and other values to numbers, which Keel cannot do", "convert explicitly: Number(b) for a bigint or boolean");

// 03xx operators
export const LOOSE_EQUALITY = rule(301, "`==` or `!=`", "loose equality converts between types in ways C does not", "use === or !==");
export const IN = rule(302, "the `in` operator", "objects have fixed layouts: there is nothing to look up at run time", "test a field or use an enum");
export const INSTANCEOF = rule(303, "`instanceof`", "C structs carry no run-time class information", "keep a kind field (an enum) in the class");
export const DELETE = rule(304, "`delete`", "C structs cannot lose fields", "set the field to null or a sentinel");
export const TYPEOF = rule(305, "`typeof` as a value", "types are fixed at compile time and there are no run-time type tags", "rely on the static type");
export const VOID = rule(306, "`void expr` other than as a statement `void expr;`", "its value is undefined, which Keel does not have", "write `void expr;` as a statement to discard a value");
export const COMMA = rule(307, "the comma operator outside a `for` header", "it makes evaluation order hard to read and keelc compiles it only in loop headers", "write separate statements");
export const STRING_COMPARE = rule(308, "`<`, `>`, `<=` or `>=` between strings in the kernel target", "Node compares characters, while a C string is a pointer and the kernel has no string library (user and hosted programs compare strings as Node does)", "compare charCodeAt values");
export const OPTIONAL_CHAIN = rule(311, "optional chaining `?.`", "it yields undefined, which Keel does not have", "test for null first, or use `x!` when it cannot be null");
export const LOGICAL_ASSIGN = rule(312, "`||=`, `&&=` or `??=`", "they assign conditionally on truthiness of arbitrary values", "write an if statement");

// 04xx statements
export const TRY = rule(401, "`try`/`catch`/`finally`", "a throw is a panic in Keel: there is no unwinding in C", "return an error code or a status value");
export const FOR_IN = rule(402, "`for...in`", "objects have no enumerable keys in C", "use for...of over an array, or an index loop");
export const WITH = rule(403, "`with`", "it makes name resolution dynamic", "name the object");
export const LABEL = rule(404, "a label on anything but a loop", "labelled blocks have no direct C counterpart in keelc", "label the loop, or restructure with a function and return");
export const GENERATOR = rule(405, "generators and `yield`", "they need suspended stack frames, which C does not have", "write an iterator class with a next() method");
export const ASYNC = rule(406, "`async`, `await`, or `for await`", "there is no event loop or promise machinery in Keel", "use IPC and blocking calls");
export const VAR = rule(407, "`var`", "function-scoped hoisting differs from C block scope", "use let or const");
export const FALLTHROUGH = rule(408, "a `switch` case that falls through from a non-empty case", "fall-through is a common bug and keelc only merges empty cases", "end the case with break, return, continue or throw");
export const SWITCH_KIND = rule(409, "a `switch` over a value that is not a number, enum, bigint or string, or a case label that is not a compile-time constant (for a string: a string literal or a `const` bound to one)", "keelc compiles switch to a C switch over constants, a switch over a string first finding its case with === in order", "switch over a number, enum or string with literal, enum member or const labels, or use if/else with ===");
export const DEBUGGER = rule(410, "`debugger`", "there is no debugger hook in C", "remove it, or use a breakpoint");
export const THROW = rule(411, "a `throw` of anything but `new Error(msg)`, or `Error` used outside such a throw", "a throw is a panic that carries a message only", "write throw new Error(`message`) or call panic()");
export const FOR_OF = rule(412, "`for...of` over something other than an array, typed array or string (or, in user and hosted programs, a Map or Set), or into an existing variable", "keelc iterates only what has a length or entries it knows in C, into a fresh loop variable", "write for (const x of array), or loop over the indices");
export const DESTRUCTURING = rule(413, "destructuring (object or array patterns)", "it needs object literals or tuples, which Keel does not have", "read the fields one by one");

// 05xx functions
export const CAPTURE = rule(501, "a function that captures a local variable, parameter or `this` of an enclosing function, or a variable declared in a block or loop at module level, other than an arrow written as the argument of an array's forEach, map, filter, some, every or findIndex (user and hosted programs), which runs in place", "a function value is a plain C function pointer: it has no environment to hold captured variables", "move the function to the top level and pass what it needs as parameters (variables declared at the top level of a module are fine)");
export const ARGUMENTS = rule(502, "`arguments`", "C functions have fixed parameter lists", "name the parameters");
export const REST = rule(503, "a rest parameter `...args`", "C functions have fixed parameter lists", "take an array parameter");
export const SPREAD = rule(504, "spread `...x`", "arrays have a fixed length and calls a fixed arity", "pass the elements explicitly or copy in a loop");
export const ACCESSOR = rule(505, "getters, setters and `accessor` fields", "a property read must be a plain field read in C", "write a method (getX()/setX())");
export const THIS = rule(506, "`this` outside an instance method or constructor", "only methods receive the object pointer in C", "pass the object as a parameter");
export const OPTIONAL_PARAM = rule(507, "an optional parameter `x?:`", "a missing argument would be undefined, which Keel does not have", "use a default value `x: T = v`");
export const OVERLOAD = rule(508, "function or method overloads, or a function without a body", "each C function has exactly one signature", "give the variants different names");
export const METHOD_VALUE = rule(509, "a method used as a value without calling it", "a C function pointer cannot carry the object it belongs to", "pass a top-level function (and the object) instead");
export const NESTED_FUNCTION = rule(510, "a function declaration inside another function", "keelc emits C functions at module level only", "move it to the top level, or use an arrow function that captures nothing");
export const GENERIC_VALUE = rule(511, "a generic function used as a value", "each instantiation is a separate C function, so there is no single pointer to take", "wrap the instantiation you need in a non-generic top-level function");

// 06xx classes and objects
export const OPTIONAL_FIELD = rule(601, "an optional field or method `x?:`", "a missing field would be undefined, which Keel does not have", "initialise the field, using `T | null` for absence");
export const UNINITIALISED_FIELD = rule(602, "a field with a definite assignment assertion `x!:` or `declare`", "every struct field must be initialised where it is declared or in the constructor", "initialise the field");
export const OBJECT_LITERAL = rule(603, "an object literal `{ ... }`", "data lives in structs of nominal classes", "declare a class and write new C(...)");
export const COMPUTED_NAME = rule(604, "a computed property name `[expr]`", "struct fields and methods need names fixed at compile time", "use a plain name");
export const ELEMENT_ACCESS = rule(605, "`x[i]` on something other than an array, typed array or string, or with a non-number index", "only arrays and strings are indexable in C; property lookups by name do not exist", "use a field name or an array");
export const INDEX_SIGNATURE = rule(606, "an index signature `[k: string]: T`", "structs have fixed fields", "use an array, or declare the fields");
export const CAST = rule(607, "a type assertion (`as T`, `<T>x`) other than `as const` or to the identical type", "a cast could lie about a value's layout, and C would then read the wrong memory", "narrow with a null check, or fix the declared type");
export const NESTED_CLASS = rule(608, "a class expression, or a class declared inside a function or block", "keelc lays out structs at module level only", "declare the class at the top level of a module");
export const PRIVATE_NAME = rule(609, "a `#private` name", "keelc compiles only plain field names", "use the `private` modifier");
export const STATIC_BLOCK = rule(610, "a `static { }` block", "keelc runs module top-level code only", "initialise at module level");
export const DECORATOR = rule(611, "a decorator", "decorators run code on classes at run time", "remove it");
export const BUILTIN_BASE = rule(612, "a class that extends a built-in class (Error, Array, ...)", "built-in classes have no C struct keelc could extend", "extend your own class or hold the value in a field");
export const NEW_ARRAY = rule(613, "`new Array(...)` other than `new Array<T>(n).fill(v)`, an array literal with holes, or an empty `[]` without a declared element type", "an unfilled array holds undefined, which Keel does not have, and `[]` alone gives keelc no element type", "write new Array<T>(n).fill(v), an array literal, or declare the type (`xs: number[] = []`)");
export const NEW_TYPED_ARRAY = rule(614, "a typed array constructed from anything but one length or one array literal", "keelc allocates typed arrays by length or from literal elements; views over buffers and copies of other arrays do not exist", "write new Uint8Array(n) and fill it in a loop, or new Uint8Array([1, 2, 3])");
export const ARRAY_LENGTH_WRITE = rule(615, "an assignment to `length`", "arrays have a fixed length in Keel", "allocate a new array of the needed length");
export const GENERIC_STATIC = rule(616, "a static field of a generic class", "a static field is one C variable, but a generic class is one C struct per instantiation", "move the field to module level");
export const STATIC_THROUGH_SUBCLASS = rule(617, "an assignment (`=`, compound, `++`, `--`) to an inherited static field through a subclass (`Sub.count = 5` for a `static count` declared in `Base`)", "JavaScript then creates a separate property on the subclass and leaves the base class's field unchanged, while keelc compiles a static field to one C variable", "assign through the class that declares it (`Base.count = 5`), or declare the static field in the subclass too");

// 07xx library
export const EVAL = rule(701, "`eval`", "there is no interpreter in C", "write the code directly");
export const FUNCTION_CTOR = rule(702, "`Function`", "there is no interpreter in C", "write a top-level function");
export const LIBRARY = rule(703, "a JavaScript or Node library global that Keel does not provide (JSON, Date, Object, Reflect, Promise, Symbol, process, globalThis, require, the global parseInt and parseFloat, Number.parseFloat, Number.isFinite, Number.isInteger/isSafeInteger of a non-number, ...; in the kernel target also Map, Set, String(), String.fromCharCode, Number.parseInt; in user and hosted programs `new Map`/`new Set` with initial entries)", "keelc only provides the built-ins listed in docs/language.md", "use classes, fixed arrays and the Keel runtime");
export const REGEXP = rule(704, "a regular expression", "there is no regular expression engine in Keel", "scan the string with charCodeAt");
export const STRING_METHOD = rule(705, "a string method other than `length`, `charCodeAt`, `toString`, `padStart`, `padEnd` in the kernel target; in user and hosted programs, one other than those and `slice`, `substring`, `indexOf`, `lastIndexOf`, `includes`, `startsWith`, `endsWith`, `split`, `trim`, `trimStart`, `trimEnd`, `toUpperCase`, `toLowerCase`, `charAt`, `repeat`", "the kernel has no garbage collector, so its strings are read-only literals without a string library; the user runtime's string library has only these methods", "use charCodeAt and length, or a Uint8Array (kernel); or write the operation with the methods listed");
export const BUILTIN_MEMBER = rule(706, "a member of a built-in type other than arrays' `length` and `fill(v, start?, end?)` (kernel target), or, in user and hosted programs, other than those and the growable-array methods of docs/language.md (push, pop, shift, unshift, splice, slice, indexOf, includes, join, sort, forEach, map, filter, some, every, findIndex); for typed arrays, other than `length`, `fill`, `set`, `subarray`, `slice`, `indexOf`, `lastIndexOf` and `includes` (every target); call, bind, ...", "kernel arrays have a fixed length, and keelc provides only the listed members of built-in types (find and reduce would need undefined or a general reducer)", "write a loop over the indices");
export const TEMPLATE_CONTEXT = rule(707, "in the kernel target, a template literal with substitutions, or `toString`/`padStart`/`padEnd`, outside a call argument or another template; tagged templates in every target", "the kernel target has no garbage collector, so strings are built only while they are printed or thrown (user and hosted programs may store and return them)", "pass it directly to console.log, panic or new Error, or to a function taking a string");
export const STRING_CONCAT = rule(708, "string concatenation with `+` or `+=` in the kernel target", "the kernel has no garbage collector and so no string heap to build new strings in (user and hosted programs may concatenate)", "use a template literal passed directly to console.log, panic or new Error");
export const CONSOLE = rule(709, "a `console` member other than `console.log`, or `console` used as a value", "the runtime provides one output hook", "use console.log");
export const FORMAT_DIRECTIVE = rule(711, "a console.log format directive the runtime does not substitute: `%j`, `%o`, `%O`, `%d`/`%i`/`%f` of a string, `%f` of a bigint", "Node formats these with JSON, its object inspector, string parsing or floating point, none of which Keel has (where the format is only known at run time, they panic)", "use %s or %d, or print through a template literal");
export const NOT_PRINTABLE = rule(712, "printing (console.log or `${x}`) a value that is not a number, bigint, boolean, string or null", "Node prints objects and arrays with its inspector, which C does not have", "print the fields or elements one by one");
export const NON_ASCII = rule(710, "a string literal with non-ASCII characters", "Node counts UTF-16 units while C counts bytes, so length and charCodeAt would differ", "write ASCII, or escape the bytes as numbers in a Uint8Array");

// 08xx modules
export const DEFAULT_EXPORT = rule(801, "a default export or default import", "keelc names C symbols after exported names", "use a named export and import");
export const NAMESPACE_IMPORT = rule(802, "`import * as ns` or `export * as ns`", "module namespace objects do not exist in C", "import the names you use");
export const DYNAMIC_IMPORT = rule(803, "dynamic `import()`", "modules are linked at compile time", "use a static import");
export const EXPORT_ASSIGN = rule(804, "`export =` or `import x = require(...)`", "only ES module syntax is compiled", "use named exports and imports");
export const HOST_IMPORT = rule(805, "a name from a host-only module (a path with a `host/` directory) used outside an `@extern` function body", "keelc does not compile host modules: they exist only under Node", "call an `@extern` function whose body uses the host name");
export const DECLARE = rule(806, "`declare` without `@extern`", "keelc needs the C symbol that implements the declaration", "write a function with a `/** @extern symbol */` tag and a host body");
export const NAMESPACE = rule(807, "a `namespace` or `module` declaration", "keelc compiles ES modules only", "use a separate module file");
export const IMPORT_PATH = rule(808, "an import of a package, a Node built-in, or a path not ending in `.ts`", "keelc compiles only the project's own .ts modules", "import a relative .ts file; put Node code in a host/ module used from @extern bodies");

export const SYMBOL_TAG = rule(809, "an `@extern` or `@export` tag without a C symbol name", "keelc needs the exact C name to declare or export", "write /** @extern keel_name */ or /** @export keel_name */");

// 09xx other
export const META_PROPERTY = rule(901, "`import.meta` or `new.target`", "there is no module loader or constructor metadata in C", "pass the information explicitly");
export const ENUM_MEMBER = rule(902, "an enum member that is not a constant number", "enums compile to integer constants", "give every member a constant numeric value");

// 90xx-91xx back end: programs the checker accepts but the back end cannot compile. A back-end
// message is `<what the program wrote>: <why>; <what to write instead>`.
export const UNBOUND_TYPE_PARAMETER = rule(9010, "a generic class used where none of its instances is meant, such as a static method of a generic class whose fields use the type parameter", "each instance of a generic class is its own C struct, and keelc must know the type argument to lay it out", "move the static method to module level as a function, or make the class non-generic");
export const CLASS_UNION = rule(9011, "a value that is one of several classes (`c ? a : b` with `a` and `b` of different classes) where no declared type names their common base class", "the classes are different C structs: keelc gives the value the type its declaration names", "declare the variable, parameter or return type as the common base class: const x: Base = c ? a : b");
export const MAP_KEY = rule(9019, "a Map or Set whose key type is a function, `void` or a nullable type", "keys are compared by value (numbers, bigints, booleans, string contents) or by object identity, and keelc has no such comparison for these types", "use a number, bigint, boolean, string or class instance as the key");
export const FIELD_NAME = rule(9021, "a field or method named by a string or numeric literal (`\"a-b\": number`)", "a field is a C struct member, which needs an identifier", "name the field with an identifier");
export const GENERIC_OVERRIDE = rule(9024, "a generic method that overrides, or is overridden by, a method of another class", "a virtual call goes through one C function pointer per method, but a generic method is a separate C function per instantiation", "make the method non-generic, or give the overriding method another name");
export const EXPORT_TAKEN = rule(9031, "an `@export` symbol that another `@export` function or keelc's runtime already defines", "a C symbol is defined once per program", "choose another symbol name");
export const EXPORT_GENERIC = rule(9032, "`@export` on a generic function", "each instantiation of a generic function is a separate C function, so there is no single symbol to export", "export a non-generic function that calls the instantiation you need");
export const SUPER_STATEMENT = rule(9042, "a derived constructor that calls `super(...)` other than as a statement directly in its body (inside an `if`, a loop or an expression)", "keelc initialises the base class's fields at that statement and must find exactly one", "call super(...) once, as a statement of the constructor's body");
export const BUILTIN_METHOD_VALUE = rule(9094, "a method of a string, array, typed array, Map or Set used as a value without calling it (`const f = s.charCodeAt`)", "built-in methods compile to calls into the runtime, not to C functions that carry their object", "call the method, or write an arrow function that calls it");
export const BUILTIN_METHOD = rule(9107, "a method of a built-in type that keelc does not provide (Map's and Set's `forEach`, ...)", "keelc compiles only the methods listed in docs/language.md", "write a for...of loop, or use a listed method");
export const DEFAULT_THROUGH_VALUE = rule(9111, "a call through a function value that leaves out arguments (a function with default parameters called through a variable)", "a function value is a C function pointer, and C passes every parameter: the default values belong to the declaration, not to the pointer", "pass every argument");
export const JOIN_ELEMENTS = rule(9117, "`join` on an array whose elements are not numbers, bigints, booleans or strings", "Node converts objects and nested arrays with their toString, which C does not have", "convert the elements first: xs.map(f).join(sep)");
export const BUILTIN_ARGUMENTS = rule(9120, "a string, array, Map or Set method called with arguments keelc does not support: `sort()` without a comparator, `split` with a limit, `push`/`unshift` of several elements, a `thisArg`, a missing argument", "the runtime implements only the argument forms docs/language.md lists for each method", "write a listed form: sort with a comparator, one element per push or unshift, split with one separator, a callback without thisArg");
export const INTERNAL = rule(9199, "input keelc's back end cannot compile although the checker accepted it, or generated C that gcc rejects", "an internal keelc error (exit status 3), not the program's: the checker should have rejected the construct or the back end should have compiled it", "please report it with the program; meanwhile write the construct another way", true);
