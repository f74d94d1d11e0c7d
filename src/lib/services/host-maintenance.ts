/**
 * `host maintenance HOST on`: the host is disabled (no new servers) and its servers move away —
 * running and paused ones live, stopped ones by a cold migration confirmed at once. Servers in
 * another state (ERROR, a task in flight, shelved) stay and are reported. `off` enables it again.
 */
import { VmState } from '../model/states';
import type { Server } from '../model/servers';
import type { HostInfo, HostsService } from './hosts';
import type { ServerMovesService } from './server-moves';
import type { ServersService } from './servers';

export interface MaintenanceStep { server: Server; action: 'live-migrate' | 'migrate' | 'skip'; reason?: string }
export interface MaintenanceOutcome { server: string; name: string; action: MaintenanceStep['action']; ok: boolean; to: string | null; detail: string | null }

export const MAINTENANCE_REASON = 'maintenance';

export class HostMaintenanceService {
  constructor(private readonly hosts: HostsService, private readonly servers: ServersService, private readonly moves: ServerMovesService) {}

  /** Disables the host and says what will happen to each of its servers. */
  async start(host: string): Promise<{ host: HostInfo; steps: MaintenanceStep[] }> {
    const info = await this.hosts.setEnabled(host, false, MAINTENANCE_REASON);
    const list = await this.servers.list({ allProjects: true, host });
    const steps = list.map((s): MaintenanceStep => {
      if (s.taskState) return { server: s, action: 'skip', reason: `task ${s.taskState} in progress` };
      if (s.vmState === VmState.ACTIVE || s.vmState === VmState.PAUSED) return { server: s, action: 'live-migrate' };
      if (s.vmState === VmState.STOPPED) return { server: s, action: 'migrate' };
      return { server: s, action: 'skip', reason: `${s.vmState} servers are not moved` };
    });
    return { host: info, steps };
  }

  async move(step: MaintenanceStep, userId: string): Promise<MaintenanceOutcome> {
    const s = step.server;
    const base = { server: s.uuid, name: s.name, action: step.action };
    if (step.action === 'skip') return { ...base, ok: true, to: null, detail: step.reason ?? null };
    try {
      let after: Server;
      if (step.action === 'live-migrate') after = await this.moves.liveMigrate(s.uuid, undefined, {}, userId);
      else {
        await this.moves.migrate(s.uuid, undefined, {}, userId);
        after = await this.moves.confirmResize(s.uuid, undefined, userId);
      }
      const moved = after.host !== s.host;
      return { ...base, ok: moved, to: after.host, detail: moved ? null : after.fault?.message ?? `still on ${after.host}` };
    } catch (e) {
      return { ...base, ok: false, to: null, detail: (e as Error).message };
    }
  }

  async end(host: string): Promise<HostInfo> {
    return this.hosts.setEnabled(host, true);
  }
}
