// Filters matching flavor extra specs and image properties against host capabilities and
// aggregate metadata.
import { agg, config, host, reasonFor, spec, survivors } from './helpers';

const withSpecs = (extraSpecs: Record<string, string>) => spec({ flavor: { extraSpecs } });
const image = (properties: Record<string, string | string[]>) => spec({ image: { id: 'img', properties } });

describe('ComputeCapabilitiesFilter', () => {
  const kvm = host('kvm', {
    capabilities: { arch: 'x86_64', hypervisorType: 'kvm', hypervisorVersion: 8002000, cpuModel: 'EPYC', cpuVendor: 'AMD', cpuFeatures: ['avx', 'avx2', 'sse4_2'], maxPhysAddrBits: 48 },
    stats: { gpus: 2, rack: 'r1' },
  });
  const qemu = host('qemu', { capabilities: { arch: 'aarch64', hypervisorType: 'qemu', hypervisorVersion: 6002000, cpuFeatures: ['sve'] } });
  const hosts = [kvm, qemu];
  it.each([
    [{ 'capabilities:hypervisor_type': 's== kvm' }, ['kvm']],
    [{ 'capabilities:hypervisor_type': '<or> kvm <or> qemu' }, ['kvm', 'qemu']],
    [{ 'capabilities:hypervisor_version': '>= 7000000' }, ['kvm']],
    [{ 'capabilities:cpu_info:arch': 'x86_64' }, ['kvm']],
    [{ 'capabilities:cpu_info:vendor': 's!= AMD' }, []], // qemu reports no vendor: missing never matches
    [{ 'capabilities:cpu_info:features': '<in> avx2' }, ['kvm']],
    [{ 'capabilities:cpu_info:features': '<all-in> avx sse4_2' }, ['kvm']],
    [{ 'capabilities:vcpus_total': '= 16' }, ['kvm', 'qemu']],
    [{ 'capabilities:gpus': '>= 1' }, ['kvm']], // top-level name not an attribute → the stats
    [{ 'capabilities:stats:rack': 'r1' }, ['kvm']],
    [{ 'capabilities:no_such_thing': 'x' }, []], // scoped and missing: fails
    // unscoped: checked only where the host has such an attribute or stat
    [{ hypervisor_type: 's== qemu' }, ['qemu']],
    [{ gpus: '2' }, ['kvm', 'qemu']],
    [{ unknown_key: 'x' }, ['kvm', 'qemu']],
    // other scopes belong to other parts of Nova
    [{ 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': '10', 'aggregate_instance_extra_specs:ssd': 'true' }, ['kvm', 'qemu']],
    // Nova rewrites hw:maxphysaddr_bits into a capabilities check
    [{ 'hw:maxphysaddr_bits': '46' }, ['kvm']],
    [{ 'capabilities:hypervisor_type': 's== kvm', 'capabilities:cpu_info:arch': 'aarch64' }, []],
  ])('%j → %j', (specs, expected) => {
    expect(survivors('ComputeCapabilitiesFilter', hosts, withSpecs(specs))).toEqual(expected);
  });
  it('explains mismatches and missing values', () => {
    expect(reasonFor('ComputeCapabilitiesFilter', qemu, withSpecs({ 'capabilities:hypervisor_type': 's== kvm' })))
      .toBe('capabilities:hypervisor_type is "qemu", flavor wants "s== kvm"');
    expect(reasonFor('ComputeCapabilitiesFilter', qemu, withSpecs({ 'capabilities:gpus': '>= 1' }))).toBe('lacks capabilities:gpus (flavor wants ">= 1")');
  });
});

describe('ImagePropertiesFilter', () => {
  const x86 = host('x86', { capabilities: { hypervisorVersion: 8002000, supportedInstances: [['x86_64', 'kvm', 'hvm'], ['i686', 'kvm', 'hvm']] } });
  const arm = host('arm', { capabilities: { hypervisorVersion: 6002000, supportedInstances: [['aarch64', 'qemu', 'hvm']], maxPhysAddrBits: 40 } });
  const bare = host('bare', { capabilities: {} });
  const hosts = [x86, arm, bare];
  it.each([
    [{}, ['x86', 'arm', 'bare']], // asks nothing: any host, even one advertising nothing
    [{ hw_architecture: 'x86_64' }, ['x86']],
    [{ hw_architecture: 'AMD64' }, ['x86']], // canonicalised
    [{ hw_architecture: 'i386' }, ['x86']], // i386 → i686
    [{ img_hv_type: 'qemu' }, ['arm']],
    [{ hw_vm_mode: 'hv' }, ['x86', 'arm']], // hv → hvm
    [{ hw_architecture: 'x86_64', img_hv_type: 'qemu' }, []], // all in one triple
    [{ hw_architecture: 'aarch64', img_hv_requested_version: '>=6.0,<6.3' }, ['arm']],
    [{ hw_architecture: 'aarch64', img_hv_requested_version: '>=7.0' }, []],
    [{ hw_architecture: 'aarch64', hw_maxphysaddr_bits: '42' }, []],
    [{ img_hv_requested_version: '>=99' }, ['x86', 'arm', 'bare']], // only checked with arch/type/mode, as Nova
  ])('%j → %j', (props, expected) => {
    expect(survivors('ImagePropertiesFilter', hosts, image(props))).toEqual(expected);
  });
  it('uses image_properties_default_architecture when the image sets none', () => {
    expect(survivors('ImagePropertiesFilter', hosts, image({}), config({ imagePropertiesDefaultArchitecture: 'aarch64' }))).toEqual(['arm']);
  });
  it('says what the host supports', () => {
    expect(reasonFor('ImagePropertiesFilter', arm, image({ hw_architecture: 'x86_64' }))).toBe('supports aarch64/qemu/hvm, image wants x86_64');
    expect(reasonFor('ImagePropertiesFilter', bare, image({ hw_architecture: 'x86_64' }))).toMatch(/advertises no supported instance types/);
  });
});

describe('AggregateInstanceExtraSpecsFilter', () => {
  const hosts = [
    host('ssd', { aggregates: [agg(1, { ssd: 'true', gpu_count: '4', tier: 'gold, silver' })] }),
    host('hdd', { aggregates: [agg(2, { ssd: 'false', gpu_count: '1' })] }),
    host('none'),
  ];
  it.each([
    [{}, ['ssd', 'hdd', 'none']],
    [{ 'aggregate_instance_extra_specs:ssd': 'true' }, ['ssd']],
    [{ ssd: 'true' }, ['ssd']], // unscoped keys are matched too
    [{ 'aggregate_instance_extra_specs:gpu_count': '>= 2' }, ['ssd']],
    [{ 'aggregate_instance_extra_specs:tier': 'silver' }, ['ssd']], // comma-separated values are alternatives
    [{ 'aggregate_instance_extra_specs:ssd': '<or> true <or> false' }, ['ssd', 'hdd']],
    [{ 'aggregate_instance_extra_specs:missing': 'x' }, []], // a key no aggregate sets fails the host
    [{ 'capabilities:hypervisor_type': 'kvm', 'hw:cpu_policy': 'dedicated' }, ['ssd', 'hdd', 'none']],
  ])('%j → %j', (specs, expected) => {
    expect(survivors('AggregateInstanceExtraSpecsFilter', hosts, withSpecs(specs))).toEqual(expected);
  });
  it('explains', () => {
    expect(reasonFor('AggregateInstanceExtraSpecsFilter', hosts[1], withSpecs({ ssd: 'true' }))).toBe('aggregate ssd=false does not match "true"');
    expect(reasonFor('AggregateInstanceExtraSpecsFilter', hosts[2], withSpecs({ ssd: 'true' }))).toBe('no aggregate sets ssd (flavor wants "true")');
  });
});

describe('AggregateMultiTenancyIsolation', () => {
  const hosts = [
    host('open'),
    host('other-meta', { aggregates: [agg(1, { ssd: 'true' })] }),
    host('p1', { aggregates: [agg(2, { filter_tenant_id: 'p1' })] }),
    host('p2p3', { aggregates: [agg(3, { filter_tenant_id: 'p2, p3', filter_tenant_id_2: 'p4' })] }),
  ];
  it.each([
    ['p1', ['open', 'other-meta', 'p1']],
    ['p3', ['open', 'other-meta', 'p2p3']],
    ['p4', ['open', 'other-meta', 'p2p3']], // any key starting with filter_tenant_id
    ['p9', ['open', 'other-meta']],
  ])('project %s → %j', (projectId, expected) => {
    expect(survivors('AggregateMultiTenancyIsolation', hosts, spec({ projectId }))).toEqual(expected);
  });
});

describe('AggregateImagePropertiesIsolation', () => {
  const hosts = [
    host('win', { aggregates: [agg(1, { os_distro: 'windows', ssd: 'true' })] }),
    host('linux', { aggregates: [agg(2, { os_distro: 'ubuntu,debian' })] }),
    host('open'),
  ];
  it.each([
    [{ os_distro: 'windows' }, ['win', 'open']],
    [{ os_distro: 'debian' }, ['linux', 'open']],
    [{}, ['win', 'linux', 'open']], // properties the image does not set do not restrict it
    [{ other: 'x' }, ['win', 'linux', 'open']],
  ])('%j → %j', (props, expected) => {
    expect(survivors('AggregateImagePropertiesIsolation', hosts, image(props))).toEqual(expected);
  });
  it('only looks at keys under the namespace when one is configured', () => {
    const ns = [host('a', { aggregates: [agg(1, { 'iso.os': 'win', os_distro: 'windows' })] })];
    const cfg = config({ aggregateImagePropertiesIsolationNamespace: 'iso' });
    expect(survivors('AggregateImagePropertiesIsolation', ns, image({ os_distro: 'debian' }), cfg)).toEqual(['a']);
    expect(survivors('AggregateImagePropertiesIsolation', ns, image({ 'iso.os': 'linux' }), cfg)).toEqual([]);
  });
});
