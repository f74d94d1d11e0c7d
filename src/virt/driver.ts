/**
 * The virt driver contract: the small set of operations the compute layer asks of a hypervisor
 * host, plus capability flags so that a service can refuse an unsupported action up front
 * (NotSupportedError) instead of drivers carrying dozens of stubs. Drivers never touch the
 * database; everything they need arrives in the arguments.
 */
import { HostError } from '../lib/errors';
import type { PowerState } from '../lib/model/states';

/** Everything a driver needs to know about one server. */
export interface InstanceSpec {
  uuid: string;
  name: string;
  hostname: string;
  projectId: string;
  userId: string | null;
  flavor: { name: string; vcpus: number; memoryMb: number; rootGb: number; ephemeralGb: number; swapMb: number; extraSpecs: Record<string, string> };
  image: ImageRef | null;
  /** Direct kernel boot, from the image's kernel_id / ramdisk_id. */
  kernel?: ImageRef | null;
  ramdisk?: ImageRef | null;
  userData: string | null;
  keyName?: string | null;
  keyData: string | null;
  /** When the server was created (ISO 8601), for the domain's metadata. */
  createdAt?: string;
  availabilityZone?: string | null;
  metadata: Record<string, string>;
  configDrive: boolean;
  /** 'none', 'auto' or a network name. */
  network: string;
}

export interface ImageRef {
  id: string;
  name: string;
  checksum: string | null;
  size: number;
  diskFormat: string;
  properties: Record<string, string>;
  /** Where the image store keeps the bytes (the controller's local file). */
  path: string | null;
  /** Direct kernel boot: the images named by this image's kernel_id / ramdisk_id. */
  kernel?: ImageRef | null;
  ramdisk?: ImageRef | null;
}

/** The host a driver instance acts on, as the registry knows it. */
export interface HostTarget {
  name: string;
  address: string | null;
  driverConfig: Record<string, unknown>;
}

export interface InstanceInfo {
  powerState: PowerState;
  memoryMb: number;
  vcpus: number;
  cpuTimeNs: number;
}

export interface HostResources {
  vcpus: number;
  memoryMb: number;
  localGb: number;
  hypervisorType: string;
  hypervisorVersion: number;
  cpuInfo: Record<string, unknown>;
}

export interface DriverCapabilities {
  pause: boolean;
  suspend: boolean;
  rescue: boolean;
  resize: boolean;
  coldMigrate: boolean;
  liveMigrate: boolean;
  consoleLog: boolean;
}

/** Opaque data a source host hands to a destination during a cold migration or resize. */
export type MigrationToken = Record<string, unknown>;

export interface ComputeDriver {
  readonly type: string;
  readonly capabilities: DriverCapabilities;
  spawn(inst: InstanceSpec): Promise<void>;
  /** Removes the domain and (with destroyDisks) every file made for it. Idempotent. */
  destroy(inst: InstanceSpec, opts?: { destroyDisks?: boolean }): Promise<void>;
  reboot(inst: InstanceSpec, type: 'SOFT' | 'HARD'): Promise<void>;
  powerOff(inst: InstanceSpec, opts?: { timeoutSeconds?: number }): Promise<void>;
  powerOn(inst: InstanceSpec): Promise<void>;
  pause(inst: InstanceSpec): Promise<void>;
  unpause(inst: InstanceSpec): Promise<void>;
  suspend(inst: InstanceSpec): Promise<void>;
  resume(inst: InstanceSpec): Promise<void>;
  rescue(inst: InstanceSpec, rescueImage: ImageRef | null): Promise<void>;
  unrescue(inst: InstanceSpec): Promise<void>;
  /** Source side of resize/cold migrate: stop the server and copy its disks to `dest`. */
  migrateDiskAndPowerOff(inst: InstanceSpec, dest: HostTarget): Promise<MigrationToken>;
  /** Destination side: define and (when `powerOn`) start the server from the copied disks. */
  finishMigration(inst: InstanceSpec, token: MigrationToken, opts: { powerOn: boolean }): Promise<void>;
  /** Source side of a reverted resize or migration: start the server again from the disks it kept, with its old flavor. */
  finishRevertMigration(inst: InstanceSpec, opts: { powerOn: boolean }): Promise<void>;
  /** Source side after a confirmed resize or migration: remove what is left. */
  cleanupMigrationSource(inst: InstanceSpec): Promise<void>;
  liveMigrate(inst: InstanceSpec, dest: HostTarget): Promise<void>;
  /** Destination side of a live migration: adopt the running server. */
  postLiveMigrationAtDestination(inst: InstanceSpec): Promise<void>;
  getInfo(inst: InstanceSpec): Promise<InstanceInfo>;
  /** UUIDs of every server the host knows (for power-state sync and orphan detection). */
  listInstances(): Promise<string[]>;
  getConsoleOutput(inst: InstanceSpec): Promise<string>;
  getAvailableResource(): Promise<HostResources>;
  /** Questions beyond the lifecycle (doctor, `server xml`, addresses); drivers without them omit it. */
  readonly inspection?: DriverInspection;
}

export interface GuestAddress { mac: string; address: string; prefix: number; version: 4 | 6; interface: string }
export interface VerifyCheck { check: string; ok: boolean; detail: string }

export interface DriverInspection {
  /** The domain document the driver would push, and the one the host has (null: none), both canonical. */
  domainXml(inst: InstanceSpec): Promise<{ generated: string; live: string | null; diff: string[] }>;
  addresses(inst: InstanceSpec): Promise<GuestAddress[]>;
  verify(): Promise<VerifyCheck[]>;
  /** Removes cached base images no server uses and nobody touched for `minAgeSeconds`; returns their names. */
  pruneImages(minAgeSeconds: number): Promise<string[]>;
  /** Every domain novalite made on the host, with its power state. */
  listDomains(): Promise<Array<{ uuid: string; name: string; state: PowerState }>>;
}

/** What `host add` learns about a new host before registering it. */
export interface HostProbeRequest {
  name: string; address: string; port: number; user: string; keyPath: string;
  /** Expected SHA256 fingerprint; or acceptNewHostKey to pin whatever the host offers. */
  fingerprint?: string; acceptNewHostKey: boolean;
  root?: string;
}

export interface HostProbeResult {
  hostKey: { type: string; base64: string; fingerprint: string };
  resources: HostResources;
  hostname: string;
  virtType: 'qemu' | 'kvm';
  kvmUsable: boolean;
  arch: string;
  machineTypes: string[];
  networks: string[];
  isoTool: 'genisoimage' | 'xorriso' | null;
  libvirtVersion: string;
  freeDiskGb: number;
}

/** Raised by a driver for an instance the host does not have (a host-side problem: exit 6). */
export class InstanceNotFoundOnHost extends HostError {
  constructor(readonly uuid: string, readonly host: string) {
    super(`Server ${uuid} does not exist on host ${host}.`, { code: 'INSTANCE_NOT_FOUND_ON_HOST' });
  }
}
