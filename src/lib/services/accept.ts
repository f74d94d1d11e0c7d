/**
 * Asynchronous requests (the REST API's 202 Accepted): run a service call and learn when it has
 * become a durable task, so the caller can answer while the task runs on under its lease (and is
 * recovered like any task if this process dies). A refusal — bad input, a state that does not
 * allow the action, a lock — happens before any task starts and still reaches the caller.
 */
import { taskStarts } from '../conductor/runner';

export interface StartedTask { kind: string; instanceUuid: string | null }

/** Either the work started a task (and goes on: `done`), or it finished without one (`value`). */
export type Outcome<T> = { started: StartedTask; done: Promise<T> } | { started: null; value: T };

/**
 * Runs `work`; resolves at the first task it starts that `wanted` accepts (other tasks, such as
 * a recovery the work runs first, do not count), or with its result when it starts none.
 */
export function untilStarted<T>(work: () => Promise<T>, wanted: (t: StartedTask) => boolean = () => true): Promise<Outcome<T>> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let done: Promise<T> | null = null;
    const started: StartedTask[] = [];
    const answer = (t: StartedTask) => {
      answered = true;
      resolve({ started: t, done: done! });
    };
    done = taskStarts.run((t) => {
      const s = { kind: t.kind, instanceUuid: t.instanceUuid };
      if (answered || !wanted(s)) return;
      if (done) answer(s);
      else started.push(s);
    }, work);
    if (started.length) answer(started[0]);
    done.then(
      (value) => { if (!answered) { answered = true; resolve({ started: null, value }); } },
      (e) => { if (!answered) { answered = true; reject(e); } },
    );
  });
}
