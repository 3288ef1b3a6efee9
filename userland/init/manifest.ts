// The system manifest: the services init starts from boot modules of these names, in this order,
// with exactly the capabilities listed and nothing else (docs/userland.md, "The manifest"). It is
// the system's capability policy: a service gets what its entry grants, claimed afresh from the
// device control capability (or made by init) at each start and moved into it, so everything goes
// back to the kernel when the service dies. A service that ends is restarted up to its limit.
// Boot modules that are not services are programs: init starts each once, as before.
import { Right } from "../../abi/rights.ts";
import { CONSOLE_BADGE_CLIENT, CONSOLE_BADGE_KEYBOARD, CONSOLE_BADGE_SERIAL } from "../lib/console.ts";

/** The badge of the shell's copy of the file system endpoint (the server tells clients apart by it; 0 is init). */
const FS_BADGE_SHELL = 1;
/**
 * The badges of the copies of the console and file system endpoints the shell hands to the programs
 * it runs: the file system keeps one client (a buffer, open files) per badge, so the shell's own
 * must not be shared; programs the shell runs share this one.
 */
const CONSOLE_BADGE_PROGRAMS = CONSOLE_BADGE_CLIENT + 1;
const FS_BADGE_PROGRAMS = 2;
/** The badge of the shell's copy of the log endpoint. */
const LOG_BADGE_SHELL = 1;
/** The badge of kv-test's copy of the kv endpoint: the server keeps each badge's entries apart. */
const KV_BADGE_TEST = 1;

export const enum ServiceClass {
  Driver = 0,
  Server = 1,
  App = 2,
}

/** The endpoints init makes at boot and hands out, by name. */
export const enum Channel {
  /** The PCI service's requests (init is its only client). */
  Pci = 0,
  /** Block requests, served by virtio-blk. */
  Block = 1,
  /** The console service's endpoint. */
  Console = 2,
  /** The framebuffer console's (fbcon) endpoint: the console service draws through it. */
  Fbcon = 3,
  /** The file system server's endpoint (userland/fs); init's own copy, unbadged, sends it the boot archive. */
  Fs = 4,
  /** The log service's endpoint: clients read the system's log through it. */
  Log = 5,
  /** The example key-value server's endpoint (userland/kv, docs/userland.md "Writing a server"). */
  Kv = 6,
}
export const CHANNEL_COUNT = 7;

export const enum GrantKind {
  /** An ISA interrupt line: a = line. */
  Irq = 0,
  /** I/O ports [a, a + b). */
  Ports = 1,
  /** A copy of channel a with rights b and badge c (0: none). */
  Endpoint = 2,
  /** A Power capability (power off, reboot). */
  Power = 3,
  /**
   * The legacy virtio block device found through the PCI service: its interrupt line, its I/O
   * BAR, DMA memory for its queues (the PCI service must have been started before).
   */
  VirtioBlock = 4,
  /**
   * The boot framebuffer as write-combining device memory, and a read-only memory object with its
   * description and the console font's bytes (userland/fbcon/setup.ts).
   */
  Framebuffer = 5,
  /**
   * A ProcessTable capability with rights a: every process's record (Read) and kill by pid
   * (Manage).
   */
  ProcessTable = 6,
  /**
   * A read-only window (a memory object) on the `rootfs` boot module, the archive the file system
   * fills its tree from: once the service runs, init copies the archive through it a piece at a
   * time and sends each piece's place (FsOp.Load on Channel.Fs). Nothing when there is no archive.
   */
  Rootfs = 7,
  /** A KernelLog capability with rights a: the kernel's log ring (Read). */
  KernelLog = 8,
}

export class Grant {
  constructor(
    public kind: GrantKind,
    public a: number,
    public b: number,
    public c: number,
  ) {}
}

function irq(line: number): Grant {
  return new Grant(GrantKind.Irq, line, 0, 0);
}
function ports(base: number, count: number): Grant {
  return new Grant(GrantKind.Ports, base, count, 0);
}
function endpoint(channel: Channel, rights: number, badge: number): Grant {
  return new Grant(GrantKind.Endpoint, channel, rights, badge);
}

export class Service {
  constructor(
    public name: string,
    public cls: ServiceClass,
    /** Kernel memory it may use (its I/O permission bitmap alone takes 8 KiB). */
    public quota: number,
    public restarts: number,
    /** Its start capabilities, in the order the program expects them. */
    public grants: Grant[],
  ) {}
}

const KIB = 1024;

export const MANIFEST: Service[] = [
  // The log first: it collects from the kernel's ring, which keeps only the last lines.
  new Service("log", ServiceClass.Server, 64 * KIB, 5, [new Grant(GrantKind.KernelLog, Right.Read, 0, 0), endpoint(Channel.Log, Right.Read, 0)]),
  // The screen first, then the console: the drivers' input and the programs' output go through it.
  new Service("fbcon", ServiceClass.Driver, 64 * KIB, 5, [new Grant(GrantKind.Framebuffer, 0, 0, 0), endpoint(Channel.Fbcon, Right.Read, 0)]),
  new Service("console", ServiceClass.Server, 64 * KIB, 5, [endpoint(Channel.Console, Right.Read, 0), endpoint(Channel.Fbcon, Right.Write, 0)]),
  new Service("kbd", ServiceClass.Driver, 64 * KIB, 5, [irq(1), ports(0x60, 1), ports(0x64, 1), endpoint(Channel.Console, Right.Write, CONSOLE_BADGE_KEYBOARD)]),
  new Service("serial", ServiceClass.Driver, 64 * KIB, 5, [irq(4), ports(0x3f8, 8), endpoint(Channel.Console, Right.Write, CONSOLE_BADGE_SERIAL)]),
  new Service("pci", ServiceClass.Driver, 64 * KIB, 5, [ports(0xcf8, 8), endpoint(Channel.Pci, Right.Read, 0)]),
  // virtio-blk also maps its DMA memory and each client's buffer.
  new Service("virtio-blk", ServiceClass.Driver, 128 * KIB, 5, [new Grant(GrantKind.VirtioBlock, 0, 0, 0), endpoint(Channel.Block, Right.Read, 0)]),
  // The file system before the shell, which uses it. Its files live in its own memory (map), its
  // quota covers its client buffers' mappings.
  new Service("fs", ServiceClass.Server, 128 * KIB, 5, [endpoint(Channel.Fs, Right.Read, 0), new Grant(GrantKind.Rootfs, 0, 0, 0)]),
  // The example server of docs/userland.md and its test client: only the test images carry them
  // (an entry whose boot module is missing is not started).
  new Service("kv", ServiceClass.Server, 64 * KIB, 5, [endpoint(Channel.Kv, Right.Read, 0)]),
  new Service("kv-test", ServiceClass.App, 64 * KIB, 0, [endpoint(Channel.Kv, Right.Write, KV_BADGE_TEST)]),
  // The shell's quota also pays, while spawn_image runs, for the kernel's copy of a program's image
  // (up to 1 MiB and a page) and, while they run, for its programs' quotas (64 KiB each).
  new Service("shell", ServiceClass.App, 2048 * KIB, 20, [endpoint(Channel.Console, Right.Write, CONSOLE_BADGE_CLIENT), new Grant(GrantKind.Power, 0, 0, 0),
    new Grant(GrantKind.ProcessTable, Right.Read | Right.Manage, 0, 0), endpoint(Channel.Fs, Right.Write, FS_BADGE_SHELL),
    endpoint(Channel.Log, Right.Write, LOG_BADGE_SHELL),
    // To be copied to its programs (Duplicate), not used by the shell itself.
    endpoint(Channel.Console, Right.Write | Right.Duplicate, CONSOLE_BADGE_PROGRAMS), endpoint(Channel.Fs, Right.Write | Right.Duplicate, FS_BADGE_PROGRAMS)]),
];
