/**
 * Instance-action events around a step of a task: started before, finished with Success or
 * Error after (the error still propagates). Without an action id the step just runs.
 */
import { Clock, isoTime } from '../clock';
import type { Stores } from '../db/stores';
import type { CellMapping } from '../model/cells';

export async function withEvent<T>(stores: Stores, clock: Clock, cell: CellMapping, actionId: number | undefined, event: string,
  host: string | null, fn: () => Promise<T>): Promise<T> {
  if (!actionId) return fn();
  const r = await stores.cell(cell);
  const now = () => isoTime(clock.now());
  const id = await r.actions.startEvent(actionId, event, host, now());
  try {
    const out = await fn();
    await r.actions.finishEvent(actionId, event, 'Success', now(), undefined, id);
    return out;
  } catch (e) {
    await r.actions.finishEvent(actionId, event, 'Error', now(), (e as Error).message, id).catch(() => undefined);
    throw e;
  }
}
