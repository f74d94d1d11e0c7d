import { Flags } from '@oclif/core';
import { BaseCommand } from '../_base';
import { table } from '../_render';
import { availabilityZoneView, AvailabilityZoneView } from '../../lib/views/aggregates';

type Result = { availability_zones: AvailabilityZoneView[] };

export default class AvailabilityZoneList extends BaseCommand<typeof AvailabilityZoneList> {
  static override description = 'List availability zones with their hosts. Hosts in no zone aggregate are in [DEFAULT] default_availability_zone.';
  static override examples = ['<%= config.bin %> availability-zone list', '<%= config.bin %> availability-zone list --long', '<%= config.bin %> availability-zone list --json'];
  static override flags = { long: Flags.boolean({ description: 'One row per host, with its service state and status.' }) };

  protected async execute(): Promise<Result> {
    const [zones, hosts] = await Promise.all([this.ctx.aggregates.zones(), this.ctx.hosts.list()]);
    const states = hosts.map((h) => ({ host: h.host, up: h.up, enabled: !h.disabled, updatedAt: h.updatedAt }));
    return { availability_zones: zones.map((z) => availabilityZoneView(z, states)) };
  }

  protected override renderHuman(r: Result): void {
    const zoneState = (z: AvailabilityZoneView) => (z.zoneState.available ? 'available' : 'not available');
    if (!r.availability_zones.length) { this.log('No availability zones: no hosts and no zone aggregates.'); return; }
    if (!this.flags.long) {
      this.log(table(r.availability_zones, [
        { header: 'Zone Name', get: (z) => z.zoneName }, { header: 'Zone Status', get: zoneState }, { header: 'Hosts', get: (z) => Object.keys(z.hosts).join(', ') },
      ]));
      return;
    }
    type Row = { z: AvailabilityZoneView; h: string; s?: AvailabilityZoneView['hosts'][string]['nova-compute'] };
    const rows = r.availability_zones.flatMap((z): Row[] => {
      const hs = Object.entries(z.hosts);
      return hs.length ? hs.map(([h, s]) => ({ z, h, s: s['nova-compute'] })) : [{ z, h: '' }];
    });
    this.log(table(rows, [
      { header: 'Zone Name', get: (x) => x.z.zoneName }, { header: 'Zone Status', get: (x) => zoneState(x.z) },
      { header: 'Host Name', get: (x) => x.h }, { header: 'Service Name', get: (x) => (x.s ? 'nova-compute' : '') },
      { header: 'Service Status', get: (x) => (x.s ? `${x.s.active ? 'enabled' : 'disabled'} ${x.s.available ? ':-)' : 'XXX'} ${x.s.updated_at ?? ''}`.trim() : '') },
    ]));
  }
}
