/**
 * A server as its host sees it: the domain XML the driver would push next to the one the host
 * has (`server xml --diff`), and its addresses from the host's DHCP leases. Addresses found are
 * kept in the server's system metadata, so `server list` shows them without asking every host.
 */
import { isoTime, type Clock } from '../clock';
import { instanceSpec, type Compute } from '../compute/compute';
import type { Stores } from '../db/stores';
import { InvalidInputError, NotSupportedError } from '../errors';
import type { ComputeHost } from '../model/compute';
import type { InstanceInfo } from '../../virt/driver';
import type { Server } from '../model/servers';
import { VmState } from '../model/states';
import type { CellsService } from './cells';
import type { HostsService } from './hosts';
import type { ImagesService } from './images';

/** Nova's addresses document: network name → [{version, addr, OS-EXT-IPS:type, OS-EXT-IPS-MAC:mac_addr}]. */
export type Addresses = Record<string, Array<Record<string, string | number>>>;

export class ServerInspectService {
  constructor(private readonly stores: Stores, private readonly clock: Clock, private readonly cells: CellsService,
    private readonly hosts: HostsService, private readonly compute: Compute, private readonly images: ImagesService) {}

  private async hostOf(s: Server): Promise<ComputeHost> {
    if (!s.host) throw new InvalidInputError(`Server ${s.uuid} is on no host.`, { code: 'SERVER_HAS_NO_HOST' });
    return this.hosts.show(s.host);
  }

  async xml(s: Server): Promise<{ generated: string; live: string | null; diff: string[]; host: string }> {
    const h = await this.hostOf(s);
    const spec = instanceSpec(s, await this.images.driverRef(s.imageRef));
    const r = await this.compute.call(h, 'dumpxml', async (d) => {
      if (!d.inspection) throw new NotSupportedError(`Host ${h.host} uses the ${d.type} driver, which has no domain XML.`);
      return d.inspection.domainXml(spec);
    });
    return { ...r, host: h.host };
  }

  /** What the server's host says about it now (Nova's server diagnostics): power state, memory, vCPUs, CPU time. */
  async info(s: Server): Promise<{ driver: string; hypervisorType: string; info: InstanceInfo }> {
    const h = await this.hostOf(s);
    const info = await this.compute.call(h, 'get_info', (d) => d.getInfo(instanceSpec(s, null)));
    return { driver: h.driver, hypervisorType: h.hypervisorType, info };
  }

  /** Asks the host for the server's addresses and records them; returns the server with them. */
  async refreshAddresses(s: Server): Promise<Server> {
    if (!s.host || s.vmState !== VmState.ACTIVE || s.taskState) return s;
    const h = await this.hosts.find(s.host);
    if (!h || h.driver === 'fake') return s;
    const found = await this.compute.call(h, 'addresses', async (d) => (d.inspection ? d.inspection.addresses(instanceSpec(s, null)) : [])).catch(() => null);
    if (!found) return s;
    const network = String((h.driverConfig as Record<string, unknown>).network ?? 'default');
    const doc: Addresses = {};
    if (found.length) doc[network] = found.map((a) => ({ version: a.version, addr: a.address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': a.mac }));
    const text = JSON.stringify(doc);
    if (s.systemMetadata.addresses === text) return s;
    const cell = (await this.cells.list()).find((c) => c.uuid === s.cellUuid);
    if (cell) await (await this.stores.cell(cell)).instances.setMetadata(s.uuid, { addresses: text }, isoTime(this.clock.now()), true);
    return { ...s, systemMetadata: { ...s.systemMetadata, addresses: text } };
  }
}
