/** Cells v2 records as the core sees them (plain data, no database handles). */

export const CELL0_UUID = '00000000-0000-0000-0000-000000000000';

export interface CellMapping {
  id: number;
  uuid: string;
  name: string | null;
  databaseConnection: string;
  transportUrl: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string | null;
}

export interface HostMapping {
  id: number;
  cellId: number;
  host: string;
  createdAt: string;
}

export interface InstanceMapping {
  id: number;
  instanceUuid: string;
  cellId: number | null;
  projectId: string;
  userId: string | null;
  queuedForDelete: boolean;
  createdAt: string;
}

export function isCell0(c: Pick<CellMapping, 'uuid'>): boolean {
  return c.uuid === CELL0_UUID;
}
