/** Repository bundles for the API database and for one cell database. */
import type { Knex } from 'knex';
import { ArchiveRepo } from './archive';
import { CellMappingRepo, HostMappingRepo, InstanceMappingRepo } from './cell-mappings';
import { ComputeNodeRepo } from './compute-nodes';
import { InstanceAdminRepo } from './instances-admin';

export interface ApiRepos {
  cells: CellMappingRepo;
  hostMappings: HostMappingRepo;
  instanceMappings: InstanceMappingRepo;
}

export interface CellRepos {
  archive: ArchiveRepo;
  computeNodes: ComputeNodeRepo;
  instancesAdmin: InstanceAdminRepo;
}

export function makeApiRepos(k: Knex): ApiRepos {
  return { cells: new CellMappingRepo(k), hostMappings: new HostMappingRepo(k), instanceMappings: new InstanceMappingRepo(k) };
}

export function makeCellRepos(k: Knex): CellRepos {
  return { archive: new ArchiveRepo(k), computeNodes: new ComputeNodeRepo(k), instancesAdmin: new InstanceAdminRepo(k) };
}
