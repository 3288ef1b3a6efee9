# Deterministic simulation of the kernel on the host (tests/sim/): random calls from several
# processes, kills and revocations while calls are blocked, timeouts, invariants after every step.
#
#   make sim                          a million steps over seeds 1,2,3,4
#   make sim SEED=7 STEPS=200000      one seed (or a list: SEED=1,5,9)
#   make sim SEED=2 FIRST_EPOCH=4 STEPS=2000   replay the epoch a failure names
#   SIM_EPOCH=n                       steps per fresh machine (default 2000)
SIM_DEFAULT_SEEDS := 1,2,3,4

.PHONY: sim
sim: setup
	SIM_SEEDS=$(if $(SEED),$(SEED),$(SIM_DEFAULT_SEEDS)) SIM_STEPS=$(if $(STEPS),$(STEPS),1000000) \
	SIM_FIRST_EPOCH=$(if $(FIRST_EPOCH),$(FIRST_EPOCH),0) node --import tsx tests/sim/run.ts
