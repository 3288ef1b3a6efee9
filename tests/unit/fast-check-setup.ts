// One convention for every property test of the unit suite: fast-check runs from one seed per
// run, random unless FC_SEED sets it. fast-check prints the seed and the path of a failing case;
// `FC_SEED=<seed> npx vitest run <file>` replays it (add the path with fc.assert's `path` option
// to jump straight to the shrunk counterexample). Tests set numRuns, never their own seed.
import fc from "fast-check";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
