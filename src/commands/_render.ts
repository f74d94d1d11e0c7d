/** Human output: aligned tables and key/value blocks, coloured only when colour is on. */
import chalk from 'chalk';

export interface Column<T> { header: string; get: (row: T) => unknown }

const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

// eslint-disable-next-line no-control-regex
const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;
const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - visible(s)));

export function table<T>(rows: T[], columns: Column<T>[]): string {
  const data = rows.map((r) => columns.map((c) => cell(c.get(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...data.map((d) => visible(d[i]))));
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i])).join('  ').trimEnd();
  const head = chalk.bold(line(columns.map((c) => c.header)));
  return [head, ...data.map(line)].join('\n');
}

export function keyValues(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  const w = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${chalk.bold(k.padEnd(w))}  ${cell(obj[k])}`).join('\n');
}

export const colour = {
  ok: (s: string) => chalk.green(s),
  warn: (s: string) => chalk.yellow(s),
  bad: (s: string) => chalk.red(s),
  dim: (s: string) => chalk.dim(s),
};
