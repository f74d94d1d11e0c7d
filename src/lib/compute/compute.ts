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
    image, kernel: null, ramdisk: null, userData: s.userData, keyData: s.keyData, metadata: s.metadata, configDrive: s.configDrive,
    network: s.systemMetadata.network ?? 'none',
  };
}

export class Compute {
  constructor(private readonly factory: DriverFactory) {}

  driver(host: ComputeHost): ComputeDriver {
    return this.factory(hostTarget(host));
  }

  /** Runs one driver operation, turning any failure into a HostError that names host and operation. */
  async call<T>(host: ComputeHost, op: string, fn: (d: ComputeDriver) => Promise<T>): Promise<T> {
    try {
      return await fn(this.driver(host));
    } catch (e) {
      if (isNovaliteError(e)) throw e;
      throw new HostError(`${op} failed on host ${host.host}: ${(e as Error).message}`, { cause: e, code: 'DRIVER_FAILURE' });
    }
  }
}
