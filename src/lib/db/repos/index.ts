/** Repository bundles for the API database and for one cell database. */
import type { Knex } from 'knex';
import { AggregateRepo } from './aggregates';
import { ArchiveRepo } from './archive';
import { ClaimDefaults, ClaimRepo } from './claims';
import { FlavorRepo } from './flavors';
import { HostRepo } from './hosts';
import { IdentityRepo } from './identity';
import { ImageRepo } from './images';
import { KeyPairRepo } from './keypairs';
import { ProjectRepo } from './projects';
import { QuotaRepo } from './quotas';
import { ServerGroupRepo } from './server-groups';
import { CellMappingRepo, HostMappingRepo, InstanceMappingRepo } from './cell-mappings';
import { ComputeNodeRepo } from './compute-nodes';
import { InstanceActionRepo } from './instance-actions';
import { InstanceRepo } from './instances';
import { InstanceAdminRepo } from './instances-admin';
import { MigrationRepo } from './migrations';
import { TagRepo } from './tags';
import { TaskRepo } from './tasks';

export interface ApiRepos {
  cells: CellMappingRepo;
  hostMappings: HostMappingRepo;
  instanceMappings: InstanceMappingRepo;
  flavors: FlavorRepo;
  aggregates: AggregateRepo;
  serverGroups: ServerGroupRepo;
  images: ImageRepo;
  keypairs: KeyPairRepo;
  projects: ProjectRepo;
  quotas: QuotaRepo;
  identity: IdentityRepo;
}

export interface CellRepos {
  archive: ArchiveRepo;
  computeNodes: ComputeNodeRepo;
  instancesAdmin: InstanceAdminRepo;
  hosts: HostRepo;
  claims: ClaimRepo;
  instances: InstanceRepo;
  actions: InstanceActionRepo;
  tasks: TaskRepo;
  migrations: MigrationRepo;
  tags: TagRepo;
}

export type { ClaimDefaults } from './claims';

export function makeApiRepos(k: Knex): ApiRepos {
  return {
    cells: new CellMappingRepo(k), hostMappings: new HostMappingRepo(k), instanceMappings: new InstanceMappingRepo(k),
    flavors: new FlavorRepo(k), aggregates: new AggregateRepo(k), serverGroups: new ServerGroupRepo(k),
    images: new ImageRepo(k), keypairs: new KeyPairRepo(k), projects: new ProjectRepo(k), quotas: new QuotaRepo(k),
    identity: new IdentityRepo(k),
  };
}

export function makeCellRepos(k: Knex, cell: { uuid: string; name: string | null }, defaults: ClaimDefaults): CellRepos {
  return {
    archive: new ArchiveRepo(k), computeNodes: new ComputeNodeRepo(k), instancesAdmin: new InstanceAdminRepo(k),
    hosts: new HostRepo(k, cell), claims: new ClaimRepo(k, defaults),
    instances: new InstanceRepo(k, cell.uuid), actions: new InstanceActionRepo(k), tasks: new TaskRepo(k),
    migrations: new MigrationRepo(k, cell.uuid), tags: new TagRepo(k),
  };
}
