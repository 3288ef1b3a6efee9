# gdb script (Python): single-steps one register call/reply round trip of the IPC benchmark under
# QEMU's gdb stub and writes the address of every executed instruction, one per line. With -icount
# shift=0 one instruction is one virtual cycle, so the line count is the round trip's figure
# (without the caller's own user-mode stub, which runs before the syscall and after sysret).
#
# Started by bench/ipc/profile/profile.sh, which passes PROFILE_PORT, PROFILE_OUT, PROFILE_SKIP and
# PROFILE_SYSCALL (the call number to trace: 60 call_regs by default) through the environment.
import os
import gdb

port = os.environ.get("PROFILE_PORT", "1234")
out = os.environ.get("PROFILE_OUT", "trace.txt")
skip = int(os.environ.get("PROFILE_SKIP", "300"))
number = int(os.environ.get("PROFILE_SYSCALL", "60"))
limit = int(os.environ.get("PROFILE_LIMIT", "20000"))

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote :" + port)
gdb.execute("break keel_syscall_entry if $rax == %d" % number)
gdb.execute("ignore 1 %d" % skip)
gdb.execute("continue")
gdb.execute("delete")

def reg(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFFFFFFFFFF

ret = reg("rcx")      # the caller's return address: the instruction after its syscall
cr3 = reg("cr3")
pcs = []
while len(pcs) < limit:
    pc = reg("pc")
    if pc == ret and reg("cr3") == cr3:
        break
    pcs.append(pc)
    gdb.execute("stepi", to_string=True)
with open(out, "w") as f:
    for pc in pcs:
        f.write("%x\n" % pc)
gdb.execute("kill")
gdb.execute("quit")
