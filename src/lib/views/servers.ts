/**
 * The server object, shared by `--json` and the REST API: Nova's server detail (microversion
 * 2.47+ shape: the flavor embedded), with the OS-EXT-* attributes an admin sees, and the
 * instance-action log.
 */
import { createHash } from 'node:crypto';
import { InstanceAction, Server } from '../model/servers';
import { serverStatus } from '../model/states';

/** Nova's hostId: an opaque per-project hash of the host, so tenants can tell co-location. */
export function hostId(s: Pick<Server, 'host' | 'projectId'>): string {
  return s.host ? createHash('sha224').update(`${s.projectId}${s.host}`).digest('hex') : '';
}

/** The addresses last found on the server's host (kept in system metadata), in Nova's shape. */
export function addressesOf(s: Server): Record<string, unknown> {
  const text = s.systemMetadata?.addresses;
  if (!text) return {};
  try {
    const doc = JSON.parse(text) as unknown;
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function serverView(s: Server) {
  const status = serverStatus(s.vmState, s.taskState);
  const out: Record<string, unknown> = {
    id: s.uuid,
    name: s.name,
    status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: hostId(s),
    image: s.imageRef ? { id: s.imageRef } : '',
    flavor: {
      vcpus: s.flavor.vcpus, ram: s.flavor.memoryMb, disk: s.flavor.rootGb, ephemeral: s.flavor.ephemeralGb, swap: s.flavor.swapMb,
      original_name: s.flavor.name, extra_specs: s.flavor.extraSpecs,
    },
    created: s.createdAt,
    updated: s.updatedAt ?? s.createdAt,
    addresses: addressesOf(s),
    accessIPv4: '',
    accessIPv6: '',
    progress: s.progress ?? 0,
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': s.availabilityZone ?? '',
    config_drive: s.configDrive ? 'True' : '',
    key_name: s.keyName,
    'OS-SRV-USG:launched_at': s.launchedAt,
    'OS-SRV-USG:terminated_at': s.terminatedAt,
    'OS-EXT-SRV-ATTR:host': s.host,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${s.uuid.slice(0, 8)}`,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': s.node,
    'OS-EXT-SRV-ATTR:hostname': s.hostname,
    'OS-EXT-STS:task_state': s.taskState,
    'OS-EXT-STS:vm_state': s.vmState,
    'OS-EXT-STS:power_state': s.powerState,
    'os-extended-volumes:volumes_attached': [],
    locked: s.locked,
    locked_reason: s.systemMetadata.locked_reason ?? null,
    description: s.description,
    tags: [],
    trusted_image_certificates: null,
  };
  if (s.fault && (status === 'ERROR' || status === 'DELETED')) {
    out.fault = { code: s.fault.code, message: s.fault.message, details: s.fault.details ?? undefined, created: s.fault.createdAt };
  }
  return out;
}

export type ServerView = ReturnType<typeof serverView>;

export function instanceActionView(a: InstanceAction, withEvents = false) {
  const out: Record<string, unknown> = {
    action: a.action, instance_uuid: a.instanceUuid, request_id: a.requestId, user_id: a.userId, project_id: a.projectId,
    start_time: a.startTime, updated_at: a.finishTime ?? a.startTime, message: a.message,
  };
  if (withEvents) {
    out.events = a.events.map((e) => ({ event: e.event, start_time: e.startTime, finish_time: e.finishTime, result: e.result, traceback: e.traceback, host: e.host, details: e.details }));
  }
  return out;
}
