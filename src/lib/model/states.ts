/**
 * Server states exactly as Nova has them: vm_state (what the server is), task_state (what is
 * being done to it), power_state (what the hypervisor says), the preconditions each action
 * needs, and the status users see (Nova's API status mapping).
 */

export const VmState = {
  ACTIVE: 'active', BUILDING: 'building', PAUSED: 'paused', SUSPENDED: 'suspended', STOPPED: 'stopped',
  RESCUED: 'rescued', RESIZED: 'resized', SOFT_DELETED: 'soft-delete', DELETED: 'deleted', ERROR: 'error',
  SHELVED: 'shelved', SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;
export type VmState = (typeof VmState)[keyof typeof VmState];

export const TaskState = {
  SCHEDULING: 'scheduling', BLOCK_DEVICE_MAPPING: 'block_device_mapping', NETWORKING: 'networking', SPAWNING: 'spawning',
  IMAGE_SNAPSHOT: 'image_snapshot', IMAGE_SNAPSHOT_PENDING: 'image_snapshot_pending', IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading', UPDATING_PASSWORD: 'updating_password',
  RESIZE_PREP: 'resize_prep', RESIZE_MIGRATING: 'resize_migrating', RESIZE_MIGRATED: 'resize_migrated', RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting', RESIZE_CONFIRMING: 'resize_confirming',
  REBOOTING: 'rebooting', REBOOT_PENDING: 'reboot_pending', REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard', REBOOT_PENDING_HARD: 'reboot_pending_hard', REBOOT_STARTED_HARD: 'reboot_started_hard',
  PAUSING: 'pausing', UNPAUSING: 'unpausing', SUSPENDING: 'suspending', RESUMING: 'resuming',
  POWERING_OFF: 'powering-off', POWERING_ON: 'powering-on', RESCUING: 'rescuing', UNRESCUING: 'unrescuing',
  REBUILDING: 'rebuilding', REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping', REBUILD_SPAWNING: 'rebuild_spawning',
  MIGRATING: 'migrating', DELETING: 'deleting', SOFT_DELETING: 'soft-deleting', RESTORING: 'restoring',
  SHELVING: 'shelving', SHELVING_IMAGE_PENDING_UPLOAD: 'shelving_image_pending_upload', SHELVING_IMAGE_UPLOADING: 'shelving_image_uploading',
  SHELVING_OFFLOADING: 'shelving_offloading', UNSHELVING: 'unshelving',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** Hypervisor power states, with Nova's numbers (they reach the API as OS-EXT-STS:power_state). */
export const PowerState = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4, CRASHED: 6, SUSPENDED: 7 } as const;
export type PowerState = (typeof PowerState)[keyof typeof PowerState];

export const POWER_STATE_NAMES: Record<number, string> = { 0: 'NOSTATE', 1: 'Running', 3: 'Paused', 4: 'Shutdown', 6: 'Crashed', 7: 'Suspended' };

const V = VmState;
const T = TaskState;

/** Nova's status for a vm_state, refined by task_state where Nova refines it. */
export function serverStatus(vm: string, task: string | null): string {
  switch (vm) {
    case V.ACTIVE:
      switch (task) {
        case T.REBOOTING: case T.REBOOT_PENDING: case T.REBOOT_STARTED: return 'REBOOT';
        case T.REBOOTING_HARD: case T.REBOOT_PENDING_HARD: case T.REBOOT_STARTED_HARD: return 'HARD_REBOOT';
        case T.UPDATING_PASSWORD: return 'PASSWORD';
        case T.REBUILDING: case T.REBUILD_BLOCK_DEVICE_MAPPING: case T.REBUILD_SPAWNING: return 'REBUILD';
        case T.MIGRATING: return 'MIGRATING';
        case T.RESIZE_PREP: case T.RESIZE_MIGRATING: case T.RESIZE_MIGRATED: case T.RESIZE_FINISH: return 'RESIZE';
        default: return 'ACTIVE';
      }
    case V.BUILDING: return 'BUILD';
    case V.STOPPED:
      if (task === T.RESIZE_PREP || task === T.RESIZE_MIGRATING || task === T.RESIZE_MIGRATED || task === T.RESIZE_FINISH) return 'RESIZE';
      if (task === T.REBUILDING || task === T.REBUILD_SPAWNING) return 'REBUILD';
      return 'SHUTOFF';
    case V.RESIZED: return task === T.RESIZE_REVERTING ? 'REVERT_RESIZE' : 'VERIFY_RESIZE';
    case V.PAUSED: return 'PAUSED';
    case V.SUSPENDED: return 'SUSPENDED';
    case V.RESCUED: return 'RESCUE';
    case V.ERROR: return task === T.REBUILDING || task === T.REBUILD_SPAWNING ? 'REBUILD' : 'ERROR';
    case V.DELETED: return 'DELETED';
    case V.SOFT_DELETED: return 'SOFT_DELETED';
    case V.SHELVED: return 'SHELVED';
    case V.SHELVED_OFFLOADED: return 'SHELVED_OFFLOADED';
    default: return 'UNKNOWN';
  }
}

/** The vm_states a status filter (`server list --status`) stands for. */
export function vmStatesForStatus(status: string): { vm: string[]; task?: string[] } | null {
  switch (status.toUpperCase()) {
    case 'ACTIVE': return { vm: [V.ACTIVE] };
    case 'BUILD': return { vm: [V.BUILDING] };
    case 'SHUTOFF': return { vm: [V.STOPPED] };
    case 'PAUSED': return { vm: [V.PAUSED] };
    case 'SUSPENDED': return { vm: [V.SUSPENDED] };
    case 'RESCUE': return { vm: [V.RESCUED] };
    case 'ERROR': return { vm: [V.ERROR] };
    case 'VERIFY_RESIZE': return { vm: [V.RESIZED] };
    case 'SHELVED': return { vm: [V.SHELVED] };
    case 'SHELVED_OFFLOADED': return { vm: [V.SHELVED_OFFLOADED] };
    case 'SOFT_DELETED': return { vm: [V.SOFT_DELETED] };
    case 'DELETED': return { vm: [V.DELETED] };
    case 'REBOOT': return { vm: [V.ACTIVE], task: [T.REBOOTING, T.REBOOT_PENDING, T.REBOOT_STARTED] };
    case 'HARD_REBOOT': return { vm: [V.ACTIVE], task: [T.REBOOTING_HARD, T.REBOOT_PENDING_HARD, T.REBOOT_STARTED_HARD] };
    case 'MIGRATING': return { vm: [V.ACTIVE], task: [T.MIGRATING] };
    case 'RESIZE': return { vm: [V.ACTIVE, V.STOPPED], task: [T.RESIZE_PREP, T.RESIZE_MIGRATING, T.RESIZE_MIGRATED, T.RESIZE_FINISH] };
    default: return null;
  }
}

/**
 * Preconditions of each action (Nova's check_instance_state on compute/api.py): the vm_states
 * it accepts and the task_states (null = no task running). `undefined` task list means any.
 */
export interface Precondition { vm: string[]; task?: Array<string | null>; mustHaveLaunched?: boolean }

const IDLE: Array<string | null> = [null];

export const ALLOW: Record<string, Precondition> = {
  delete: { vm: [V.ACTIVE, V.BUILDING, V.PAUSED, V.SUSPENDED, V.STOPPED, V.RESCUED, V.RESIZED, V.SOFT_DELETED, V.ERROR, V.SHELVED, V.SHELVED_OFFLOADED] },
  force_delete: { vm: [V.ACTIVE, V.BUILDING, V.PAUSED, V.SUSPENDED, V.STOPPED, V.RESCUED, V.RESIZED, V.SOFT_DELETED, V.ERROR, V.SHELVED, V.SHELVED_OFFLOADED] },
  restore: { vm: [V.SOFT_DELETED] },
  reboot: { vm: [V.ACTIVE, V.PAUSED, V.STOPPED, V.SUSPENDED, V.ERROR], task: [null, T.REBOOTING, T.REBOOT_PENDING, T.REBOOT_STARTED, T.REBOOTING_HARD, T.REBOOT_PENDING_HARD, T.REBOOT_STARTED_HARD] },
  reboot_soft: { vm: [V.ACTIVE], task: IDLE },
  stop: { vm: [V.ACTIVE, V.ERROR], task: IDLE },
  start: { vm: [V.STOPPED], task: IDLE },
  pause: { vm: [V.ACTIVE], task: IDLE },
  unpause: { vm: [V.PAUSED], task: IDLE },
  suspend: { vm: [V.ACTIVE], task: IDLE },
  resume: { vm: [V.SUSPENDED], task: IDLE },
  lock: { vm: Object.values(V) },
  unlock: { vm: Object.values(V) },
  resize: { vm: [V.ACTIVE, V.STOPPED], task: IDLE },
  migrate: { vm: [V.ACTIVE, V.STOPPED], task: IDLE },
  confirm_resize: { vm: [V.RESIZED], task: IDLE },
  revert_resize: { vm: [V.RESIZED], task: IDLE },
  rebuild: { vm: [V.ACTIVE, V.STOPPED, V.ERROR], task: IDLE },
  rescue: { vm: [V.ACTIVE, V.STOPPED, V.ERROR], task: IDLE },
  unrescue: { vm: [V.RESCUED], task: IDLE },
  shelve: { vm: [V.ACTIVE, V.STOPPED, V.PAUSED, V.SUSPENDED], task: IDLE },
  shelve_offload: { vm: [V.SHELVED], task: IDLE },
  unshelve: { vm: [V.SHELVED, V.SHELVED_OFFLOADED], task: IDLE },
  live_migrate: { vm: [V.ACTIVE, V.PAUSED], task: IDLE },
  evacuate: { vm: [V.ACTIVE, V.STOPPED, V.ERROR] },
  set: { vm: Object.values(V) },
  console_log: { vm: [V.ACTIVE, V.PAUSED, V.STOPPED, V.SUSPENDED, V.RESCUED, V.RESIZED, V.ERROR] },
};

/** Whether `action` may run now; returns a sentence naming the current and the required states otherwise. */
export function checkAllowed(action: string, vm: string, task: string | null): string | null {
  const p = ALLOW[action];
  if (!p) throw new Error(`no precondition for action ${action}`);
  if (!p.vm.includes(vm)) {
    return `Cannot ${action.replace(/_/g, ' ')} a server in vm_state ${vm}; it needs ${p.vm.join(' or ')}.`;
  }
  if (p.task && !p.task.includes(task)) {
    const needs = p.task.map((t) => t ?? 'no task').join(' or ');
    return `Cannot ${action.replace(/_/g, ' ')} a server while it is ${task ?? 'idle'} (task_state ${task}); it needs ${needs}.`;
  }
  return null;
}
