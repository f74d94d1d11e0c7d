/** Human output shared by the aggregate commands. */
import { Column, keyValues, table } from '../_render';
import type { AggregateView } from '../../lib/views/aggregates';

const properties = (md: Record<string, string>): string => Object.entries(md).map(([k, v]) => `${k}='${v}'`).join(', ');

export function aggregatesTable(aggs: AggregateView[], long = false): string {
  const cols: Column<AggregateView>[] = [
    { header: 'ID', get: (a) => a.id }, { header: 'Name', get: (a) => a.name },
    { header: 'Availability Zone', get: (a) => a.availability_zone },
  ];
  if (long) cols.push({ header: 'Hosts', get: (a) => a.hosts.join(', ') }, { header: 'Properties', get: (a) => properties(a.metadata) }, { header: 'UUID', get: (a) => a.uuid });
  return table(aggs, cols);
}

export function aggregateDetail(a: AggregateView): string {
  return keyValues({
    id: a.id, uuid: a.uuid, name: a.name, availability_zone: a.availability_zone, hosts: a.hosts.join(', '),
    properties: properties(a.metadata), created_at: a.created_at, updated_at: a.updated_at,
  });
}
