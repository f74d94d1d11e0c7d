/** Serializers for cells v2 records, shared by `--json` and (later) the REST API. */
import { maskUrl } from '../db/url';
import type { CellMapping, HostMapping } from '../model/cells';

export interface CellView {
  uuid: string;
  name: string | null;
  database_connection: string;
  transport_url: string | null;
  disabled: boolean;
  created_at: string;
}

export function cellView(c: CellMapping, opts: { showSecrets?: boolean } = {}): CellView {
  return {
    uuid: c.uuid,
    name: c.name,
    database_connection: opts.showSecrets ? c.databaseConnection : maskUrl(c.databaseConnection),
    transport_url: c.transportUrl === null ? null : opts.showSecrets ? c.transportUrl : maskUrl(c.transportUrl),
    disabled: c.disabled,
    created_at: c.createdAt,
  };
}

export function hostMappingView(h: HostMapping & { cellName: string | null; cellUuid: string }): { host: string; cell_name: string | null; cell_uuid: string } {
  return { host: h.host, cell_name: h.cellName, cell_uuid: h.cellUuid };
}
