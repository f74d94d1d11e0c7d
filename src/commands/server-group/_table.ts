/** Human output shared by the server-group commands. */
import { keyValues } from '../_render';
import type { ServerGroupView } from '../../lib/views/server-groups';

export const rules = (r: ServerGroupView['rules']): string => Object.entries(r).map(([k, v]) => `${k}=${v}`).join(', ');

export function serverGroupDetail(g: ServerGroupView): string {
  return keyValues({ id: g.id, name: g.name, policy: g.policy, rules: rules(g.rules), members: g.members.join(', '), project_id: g.project_id, user_id: g.user_id });
}
