/** Servers (Nova instances), their faults and instance actions, as the core sees them. */

export interface FlavorSnapshot {
  id: number;
  flavorid: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  extraSpecs: Record<string, string>;
}

export interface Fault {
  code: number;
  message: string;
  details: string | null;
  createdAt: string;
}

export interface Server {
  uuid: string;
  name: string;
  description: string | null;
  hostname: string | null;
  projectId: string;
  userId: string | null;
  imageRef: string | null;
  flavor: FlavorSnapshot;
  vmState: string;
  taskState: string | null;
  powerState: number;
  host: string | null;
  node: string | null;
  availabilityZone: string | null;
  locked: boolean;
  lockedBy: string | null;
  keyName: string | null;
  keyData: string | null;
  userData: string | null;
  configDrive: boolean;
  progress: number | null;
  launchedAt: string | null;
  terminatedAt: string | null;
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
  metadata: Record<string, string>;
  /** Nova keeps these in system metadata: locked_reason, network, image properties … */
  systemMetadata: Record<string, string>;
  cellUuid: string;
  fault: Fault | null;
}

export interface InstanceActionEvent {
  event: string;
  result: string | null;
  startTime: string | null;
  finishTime: string | null;
  host: string | null;
  traceback: string | null;
  details: string | null;
}

export interface InstanceAction {
  action: string;
  instanceUuid: string;
  requestId: string;
  userId: string | null;
  projectId: string | null;
  startTime: string | null;
  finishTime: string | null;
  message: string | null;
  events: InstanceActionEvent[];
}
