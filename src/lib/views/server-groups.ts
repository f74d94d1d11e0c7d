/**
 * Serializers for server groups, shared by `--json` and (later) the REST API: the Compute API
 * v2.1 server group object as from microversion 2.64 (one `policy` and its `rules`).
 */
import type { GroupPolicy, ServerGroup } from '../model/compute';

export interface ServerGroupView {
  id: string;
  name: string;
  policy: GroupPolicy;
  rules: { max_server_per_host?: number };
  members: string[];
  project_id: string | null;
  user_id: string | null;
}

export function serverGroupView(g: ServerGroup): ServerGroupView {
  return {
    id: g.uuid,
    name: g.name,
    policy: g.policy,
    rules: { ...g.rules },
    members: [...g.members],
    project_id: g.projectId,
    user_id: g.userId,
  };
}
