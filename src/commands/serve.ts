import { Flags } from '@oclif/core';
import cluster from 'node:cluster';
import { BaseCommand } from './_base';
import { checkServeOptions, readPolicyFile, startServer, type AuthMode, type ServeOptions } from '../lib/api/serve';

/** Kept for callers of the old location; it lives in lib/api/policy-file.ts now. */
export { readPolicyFile };

export default class Serve extends BaseCommand<typeof Serve> {
  static override description = [
    'Run the REST API: the OpenStack Compute API v2.1 (microversions), a minimal Keystone v3 under /identity and Image v2 under',
    '/image, over the same core as the CLI, so `openstack`, `nova` and openstacksdk work unchanged. Runs until SIGTERM or Ctrl-C.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --host 0.0.0.0 --port 8774 --workers 4 --tls-cert api.pem --tls-key api.key',
    '<%= config.bin %> serve --auth none --port 18774 --json',
  ];
  static override flags = {
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'Port to listen on (0: any free port).', default: 8774, min: 0, max: 65535 }),
    workers: Flags.integer({ description: 'Worker processes sharing the port.', default: 1 }),
    auth: Flags.string({ description: 'keystone: tokens from /identity/v3; http_basic: user and password per request; none: one admin (loopback only).', options: ['keystone', 'none', 'http_basic'], default: 'keystone' }),
    'insecure-no-auth': Flags.boolean({ description: 'Allow --auth none on a non-loopback address.' }),
    'tls-cert': Flags.string({ description: 'PEM certificate: serve HTTPS.' }),
    'tls-key': Flags.string({ description: 'PEM private key for --tls-cert.' }),
    'policy-file': Flags.string({ description: 'YAML file overriding policy rules (see `novalite policy check`).' }),
  };

  protected override printsOwnJson = true;

  protected async execute(): Promise<unknown> {
    const f = this.flags;
    const o: ServeOptions = {
      host: f.host, port: f.port, workers: f.workers, auth: f.auth as AuthMode, tlsCert: f['tls-cert'], tlsKey: f['tls-key'],
      insecure: f['insecure-no-auth'], policyOverrides: f['policy-file'] ? readPolicyFile(f['policy-file']) : undefined,
    };
    checkServeOptions(o);
    if (o.workers > 1 && cluster.isPrimary) {
      for (let i = 0; i < o.workers; i++) cluster.fork();
      const stop = () => { for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM'); };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      await new Promise<void>((resolve) => cluster.on('exit', () => { if (!Object.keys(cluster.workers ?? {}).length) resolve(); }));
      return undefined;
    }
    const periodic = !cluster.isWorker || cluster.worker?.id === 1;
    const s = await startServer(this.ctx, o, { periodic });
    const line = { listening: s.address, auth: o.auth, workers: o.workers, pid: process.pid };
    if (!cluster.isWorker || cluster.worker?.id === 1) {
      if (this.jsonMode) process.stdout.write(`${JSON.stringify(line)}\n`);
      else process.stderr.write(`novalite API listening on ${s.address} (auth ${o.auth}, ${o.workers} worker(s))\n`);
    }
    await new Promise<void>((resolve) => {
      const done = () => { void s.stop().finally(resolve); };
      process.once('SIGTERM', done);
      process.once('SIGINT', done);
    });
    return undefined;
  }

  /** The listening line is printed as soon as the server is up; nothing more at exit. */
  protected override renderHuman(): void {}
}
