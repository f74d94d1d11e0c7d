/** The OpenAPI 3.0 document: generated from every registered route, served at / and under /v2.1. */
import { apiCloud, type ApiCloud } from '../helpers/api';
import { toOas30 } from '../../src/lib/api/compute/openapi-schema';

jest.setTimeout(60000);

/** Every `type` in the document, with where it is (OpenAPI 3.0 allows one string, never 'null'). */
function types(v: unknown, at = '', out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (Array.isArray(v)) v.forEach((x, i) => types(x, `${at}/${i}`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'type' && !at.endsWith('/properties')) out.push([at, x]);
      types(x, `${at}/${k}`, out);
    }
  }
  return out;
}

describe('openapi.json', () => {
  let c: ApiCloud;
  let doc: any;
  beforeAll(async () => {
    c = await apiCloud();
    const r = await c.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    doc = r.body;
  });
  afterAll(async () => { await c.close(); });

  it('is OpenAPI 3.0 with the server URL, the token and basic security schemes and the microversion headers', () => {
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info.version).toBe('2.92');
    expect(doc.servers).toEqual([{ url: 'http://localhost:80' }]);
    expect(doc.components.securitySchemes.Token).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' }));
    expect(doc.components.securitySchemes.Basic).toEqual(expect.objectContaining({ type: 'http', scheme: 'basic' }));
    expect(doc.components.parameters.MicroversionHeader.name).toBe('OpenStack-API-Version');
  });

  it('has one operation per registered route, with unique operation ids', () => {
    const ops = Object.entries(doc.paths).flatMap(([p, m]: [string, any]) => Object.keys(m).map((k) => `${k.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual(c.routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort());
    const ids = Object.values(doc.paths).flatMap((m: any) => Object.values(m).map((o: any) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes quota-set updates with one body per microversion range, the policy and the status', () => {
    const put = doc.paths['/v2.1/os-quota-sets/{id}'].put;
    expect(put['x-policy']).toBe('os_compute_api:os-quota-sets:update');
    expect(put.parameters[0]).toEqual({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
    expect(put.security).toEqual([{ Token: [] }, { Basic: [] }]);
    const variants = put.requestBody.content['application/json'].schema.oneOf;
    expect(variants.map((v: any) => v.description)).toEqual(['The body at microversions up to 2.35.', 'The body at microversions 2.36 to 2.56.', 'The body at microversion 2.57 and later.']);
    expect(Object.keys(variants[2].properties.quota_set.properties)).not.toContain('floating_ips');
    expect(Object.keys(doc.paths['/v2.1/os-quota-sets/{id}'].delete.responses)).toEqual(['202', 'default']);
    expect(Object.keys(doc.paths['/v2.1/os-server-external-events'].post.responses)).toContain('2XX');
  });

  it('marks microversion ranges, unauthenticated routes and the image media types', () => {
    const mig = doc.paths['/v2.1/servers/{id}/migrations/{migrationId}'].delete;
    expect(mig['x-microversion']).toEqual({ min: '2.24', max: '2.92' });
    expect(doc.paths['/v2.1/openapi.json'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/image/v2/images/{id}/file'].put.requestBody.content)).toEqual(['application/octet-stream']);
    expect(Object.keys(doc.paths['/image/v2/images/{id}'].patch.requestBody.content)).toEqual(['application/openstack-images-v2.1-json-patch']);
    expect(doc.paths['/image/v2/images'].get.parameters).toEqual([]);
  });

  it('uses only OpenAPI 3.0 schema types (no type lists, no null type)', () => {
    const bad = types(doc.paths).filter(([, t]) => typeof t !== 'string' || t === 'null');
    expect(bad).toEqual([]);
    expect(toOas30({ type: ['integer', 'string', 'null'], pattern: '^1$' })).toEqual({ pattern: '^1$', nullable: true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(toOas30({ type: 'object', properties: { force_complete: { type: 'null' } } })).toEqual({ type: 'object', properties: { force_complete: { nullable: true, enum: [null] } } });
  });

  it('is served under /v2.1 too, with the microversion headers of a compute route', async () => {
    const r = await c.call('GET', '/v2.1/openapi.json', { mv: '2.60' });
    expect([r.status, r.headers['x-openstack-nova-api-version']]).toEqual([200, '2.60']);
    expect(Object.keys(r.body.paths)).toEqual(Object.keys(doc.paths));
  });
});
