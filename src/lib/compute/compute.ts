/**
 * The compute layer: the only caller of virt drivers. It turns a server record into what a
 * driver needs, picks the driver of the server's host, and wraps driver failures as HostErrors
 * (exit 6) that name the host and the operation.
 */
import { HostError, isNovaliteError } from '../errors';
import { ComputeHost } from '../model/compute';
import { Server } from '../model/servers';
import type { ComputeDriver, HostTarget, ImageRef, InstanceSpec } from '../../virt/driver';

export type DriverFactory = (host: HostTarget & { driver: string }) => ComputeDriver;

export function hostTarget(h: ComputeHost): HostTarget & { driver: string } {
  // The registered inventory goes along, so a driver that reports resources (the fake) agrees with it.
  return { name: h.host, address: h.hostIp, driverConfig: { vcpus: h.vcpus, memoryMb: h.memoryMb, localGb: h.localGb, ...h.driverConfig }, driver: h.driver };
}

export function instanceSpec(s: Server, image: ImageRef | null): InstanceSpec {
  return {
    uuid: s.uuid, name: s.name, hostname: s.hostname ?? s.name, projectId: s.projectId, userId: s.userId,
    flavor: { name: s.flavor.name, vcpus: s.flavor.vcpus, memoryMb: s.flavor.memoryMb, rootGb: s.flavor.rootGb, ephemeralGb: s.flavor.ephemeralGb, swapMb: s.flavor.swapMb, extraSpecs: s.flavor.extraSpecs },
    image, kernel: image?.kernel ?? null, ramdisk: image?.ramdisk ?? null, userData: s.userData, keyName: s.keyName, keyData: s.keyData,
    createdAt: s.createdAt, availabilityZone: s.availabilityZone, metadata: s.metadata, configDrive: s.configDrive,
    network: s.systemMetadata.network ?? 'auto',
  };
}

/** Error codes that mean the host could not be reached at all (as opposed to an operation failing there). */
export const UNREACHABLE_CODES = new Set(['SSH_CONNECT_FAILED', 'HOST_KEY_CHANGED', 'HOST_KEY_UNKNOWN']);

/** Told about each contact that changes what is known of a host (lost, or regained). */
export type ContactHook = (host: ComputeHost, ok: boolean, error: string | null) => Promise<void>;

export class Compute {
  constructor(private readonly factory: DriverFactory, private readonly onContact?: ContactHook) {}

  driver(host: ComputeHost): ComputeDriver {
    return this.factory(hostTarget(host));
  }

  /** Runs one driver operation, turning any failure into a HostError that names host and operation. */
  async call<T>(host: ComputeHost, op: string, fn: (d: ComputeDriver) => Promise<T>): Promise<T> {
    try {
      const out = await fn(this.driver(host));
      if (host.unreachableSince && this.onContact) await this.onContact(host, true, null).catch(() => undefined);
      return out;
    } catch (e) {
      if (isNovaliteError(e) && UNREACHABLE_CODES.has(e.code) && this.onContact) await this.onContact(host, false, e.message).catch(() => undefined);
      if (isNovaliteError(e)) throw e;
      throw new HostError(`${op} failed on host ${host.host}: ${(e as Error).message}`, { cause: e, code: 'DRIVER_FAILURE' });
    }
  }
}
