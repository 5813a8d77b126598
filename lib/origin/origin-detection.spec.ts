import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  detectOrigin,
  ENTITY_ID_TAG,
  HOST_CGROUP_NAMESPACE_INODE,
  nodeOriginSources,
  type OriginOptions,
  type OriginSources,
  originFields,
} from './origin-detection';

const POD_UID = '224ee3dc-0258-4b52-9b02-43a4ed155d42';
const DOCKER_ID = '35ae17879f68849c45516201104faee303a23cebbd88fe8c3d729b9dc0b55a61';
const EXTERNAL = `it-false,cn-orders-api,pu-${POD_UID}`;
const ALL: OriginOptions = { entityId: true, containerId: true, externalEnv: true };
const CONTAINER_ONLY: OriginOptions = { entityId: false, containerId: true, externalEnv: false };
const HOST_NAMESPACE = { '/proc/self/ns/cgroup': HOST_CGROUP_NAMESPACE_INODE };
const PRIVATE_NAMESPACE = { '/proc/self/ns/cgroup': 4026532451 };

function fixture(name: string): string {
  return readFileSync(join(__dirname, '../../test/fixtures/cgroup', name), 'utf8');
}

interface FakeSources extends OriginSources {
  /** Every path passed to readFile, in order. */
  readonly reads: string[];
  /** Every path passed to inodeOf, in order. */
  readonly stats: string[];
}

function fakeSources(given: {
  env?: Record<string, string>;
  cgroup?: string;
  mountinfo?: string;
  inodes?: Record<string, number>;
  platform?: string;
}): FakeSources {
  const files: Record<string, string> = {};
  if (given.cgroup) files['/proc/self/cgroup'] = fixture(given.cgroup);
  if (given.mountinfo) files['/proc/self/mountinfo'] = fixture(given.mountinfo);
  const inodes = given.inodes ?? {};
  const reads: string[] = [];
  const stats: string[] = [];
  return {
    env: given.env ?? {},
    platform: given.platform ?? 'linux',
    reads,
    stats,
    readFile: (path) => (reads.push(path), files[path]),
    inodeOf: (path) => (stats.push(path), inodes[path]),
  };
}

describe('detectOrigin: entity ID', () => {
  const entityOnly: OriginOptions = { entityId: true, containerId: false, externalEnv: false };

  it('sends DD_ENTITY_ID as the entity ID', () => {
    const sources = fakeSources({ env: { DD_ENTITY_ID: POD_UID } });
    expect(detectOrigin(entityOnly, sources)).toEqual({ entityId: POD_UID });
  });

  it('sends no entity ID when DD_ENTITY_ID is unset', () => {
    expect(detectOrigin(entityOnly, fakeSources({}))).toEqual({});
  });

  it('sends no entity ID when DD_ENTITY_ID is empty', () => {
    expect(detectOrigin(entityOnly, fakeSources({ env: { DD_ENTITY_ID: '' } }))).toEqual({});
  });

  it('sends no entity ID when entityId is false, even with DD_ENTITY_ID set', () => {
    const sources = fakeSources({ env: { DD_ENTITY_ID: POD_UID } });
    expect(detectOrigin({ ...entityOnly, entityId: false }, sources)).toEqual({});
  });

  it('replaces what would split the tag list or the datagram with "_"', () => {
    const sources = fakeSources({ env: { DD_ENTITY_ID: 'a|b,c#d\ne:f@g\rh' } });
    expect(detectOrigin(entityOnly, sources)).toEqual({ entityId: 'a_b_c_d_e_f_g_h' });
  });

  it('sends the entity ID next to a detected container ID', () => {
    const sources = fakeSources({ env: { DD_ENTITY_ID: POD_UID }, cgroup: 'v1-docker.cgroup' });
    expect(detectOrigin(ALL, sources)).toEqual({ entityId: POD_UID, containerId: DOCKER_ID });
  });
});

describe('detectOrigin: container ID from the cgroup path', () => {
  it.each([
    ['v1-docker.cgroup', DOCKER_ID],
    ['v1-kubernetes.cgroup', '68d37e949f808ceb73c402d89f7a0269c7be4742d52f18b8b1122469691e4c5a'],
    ['v1-ecs.cgroup', 'f75fe4d6d413bb4d0b98c62a8b747d0855c8e39224bca89768890a23178bbec9'],
    ['v1-fargate.cgroup', 'f02256565efe64972f0d2112567c49c6-2847218716'],
    ['v1-uuid.cgroup', '077a0275-a274-46dd-b3d1-999b85b08f80'],
    ['v2-container-id.cgroup', '6b243f498ea34fff0cf0f8c55e27530822c69c86bad1d9cf5c1790e9df32e2f0'],
  ])('sends the ID in %s, reading nothing else', (file, id) => {
    const sources = fakeSources({ cgroup: file, inodes: HOST_NAMESPACE });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({ containerId: id });
    expect(sources.reads).toEqual(['/proc/self/cgroup']);
    expect(sources.stats).toEqual([]);
  });
});

describe('detectOrigin: container ID without a cgroup path', () => {
  it('reads the ID from /proc/self/mountinfo when a private namespace hides the path', () => {
    const sources = fakeSources({
      cgroup: 'v2-no-id.cgroup',
      mountinfo: 'v2-docker.mountinfo',
      inodes: { ...PRIVATE_NAMESPACE, '/sys/fs/cgroup': 8243 },
    });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({
      containerId: '4f68c35e9cf243b4f2e1a5e8541b05c643b8f9ca0755c95fa83b385f6eeb3dac',
    });
    expect(sources.reads).toEqual(['/proc/self/cgroup', '/proc/self/mountinfo']);
    expect(sources.stats).toEqual([]);
  });

  it('sends "in-<inode>" of the cgroup v2 node in a private cgroup namespace', () => {
    const sources = fakeSources({
      cgroup: 'v2-no-id.cgroup',
      inodes: { ...PRIVATE_NAMESPACE, '/sys/fs/cgroup': 8243 },
    });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({ containerId: 'in-8243' });
    expect(sources.stats).toEqual(['/proc/self/ns/cgroup', '/sys/fs/cgroup']);
  });

  it('sends the inode when the only hostname mount is a containerd sandbox (Kubernetes)', () => {
    const sources = fakeSources({
      cgroup: 'v2-no-id.cgroup',
      mountinfo: 'v2-kubernetes.mountinfo',
      inodes: { ...PRIVATE_NAMESPACE, '/sys/fs/cgroup': 8243 },
    });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({ containerId: 'in-8243' });
  });

  it('sends the inode of the memory controller node on cgroup v1', () => {
    const sources = fakeSources({
      cgroup: 'v1-no-id.cgroup',
      inodes: { ...PRIVATE_NAMESPACE, '/sys/fs/cgroup/memory': 4712, '/sys/fs/cgroup': 9001 },
    });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({ containerId: 'in-4712' });
  });

  it('sends the inode of the v2 node when the memory node cannot be read', () => {
    const sources = fakeSources({
      cgroup: 'v1-no-id.cgroup',
      inodes: { ...PRIVATE_NAMESPACE, '/sys/fs/cgroup': 9001 },
    });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({ containerId: 'in-9001' });
    expect(sources.stats).toEqual([
      '/proc/self/ns/cgroup',
      '/sys/fs/cgroup/memory',
      '/sys/fs/cgroup',
    ]);
  });

  it('sends the inode when the cgroup namespace cannot be read', () => {
    const sources = fakeSources({ cgroup: 'v2-no-id.cgroup', inodes: { '/sys/fs/cgroup': 8243 } });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({ containerId: 'in-8243' });
  });

  it.each(['host-v1.cgroup', 'host-v2.cgroup'])(
    'sends nothing for a host process in the host cgroup namespace (%s)',
    (file) => {
      const sources = fakeSources({
        cgroup: file,
        inodes: { ...HOST_NAMESPACE, '/sys/fs/cgroup': 8243, '/sys/fs/cgroup/memory': 4712 },
      });
      expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({});
      expect(sources.stats).toEqual(['/proc/self/ns/cgroup']);
    },
  );

  it.each([1, 2])('sends no inode %d, a file-system root', (inode) => {
    const sources = fakeSources({
      cgroup: 'v2-no-id.cgroup',
      inodes: { ...PRIVATE_NAMESPACE, '/sys/fs/cgroup': inode },
    });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({});
  });

  it('sends nothing when no file can be read', () => {
    expect(detectOrigin(CONTAINER_ONLY, fakeSources({ inodes: PRIVATE_NAMESPACE }))).toEqual({});
  });
});

describe('detectOrigin: containerId option', () => {
  it('sends a given container ID as is, reading no file', () => {
    const sources = fakeSources({ cgroup: 'v1-docker.cgroup' });
    const options = { ...CONTAINER_ONLY, containerId: 'orders-api-7f9c' };
    expect(detectOrigin(options, sources)).toEqual({ containerId: 'orders-api-7f9c' });
    expect([...sources.reads, ...sources.stats]).toEqual([]);
  });

  it('drops "|" and control characters from a given container ID', () => {
    const options = { ...CONTAINER_ONLY, containerId: ' orders|api\n' };
    expect(detectOrigin(options, fakeSources({}))).toEqual({ containerId: 'ordersapi' });
  });

  it('detects the container ID when the given one is empty', () => {
    const options = { ...CONTAINER_ONLY, containerId: '' };
    const sources = fakeSources({ cgroup: 'v1-docker.cgroup' });
    expect(detectOrigin(options, sources)).toEqual({ containerId: DOCKER_ID });
  });

  it('sends a given container ID on macOS and with DD_ORIGIN_DETECTION_ENABLED=false', () => {
    const sources = fakeSources({
      env: { DD_ORIGIN_DETECTION_ENABLED: 'false' },
      platform: 'darwin',
    });
    const options = { ...CONTAINER_ONLY, containerId: 'orders-api-7f9c' };
    expect(detectOrigin(options, sources)).toEqual({ containerId: 'orders-api-7f9c' });
  });

  it('sends no container ID when containerId is false, reading no file', () => {
    const sources = fakeSources({ cgroup: 'v1-docker.cgroup', inodes: PRIVATE_NAMESPACE });
    expect(detectOrigin({ ...CONTAINER_ONLY, containerId: false }, sources)).toEqual({});
    expect([...sources.reads, ...sources.stats]).toEqual([]);
  });

  it.each(['darwin', 'win32'])('detects nothing and reads no file on %s', (platform) => {
    const sources = fakeSources({ cgroup: 'v1-docker.cgroup', platform });
    expect(detectOrigin(CONTAINER_ONLY, sources)).toEqual({});
    expect([...sources.reads, ...sources.stats]).toEqual([]);
  });
});

describe('detectOrigin: DD_ORIGIN_DETECTION_ENABLED', () => {
  const env = { DD_ENTITY_ID: POD_UID, DD_EXTERNAL_ENV: EXTERNAL };

  it.each(['false', 'FALSE', 'False', '0', 'f', 'no', 'n', 'off', ' false '])(
    'set to %j, keeps the entity ID but sends no container ID and no external data',
    (value) => {
      const sources = fakeSources({
        env: { ...env, DD_ORIGIN_DETECTION_ENABLED: value },
        cgroup: 'v1-docker.cgroup',
      });
      expect(detectOrigin(ALL, sources)).toEqual({ entityId: POD_UID });
      expect([...sources.reads, ...sources.stats]).toEqual([]);
    },
  );

  it.each(['true', '1', 'yes', '', 'maybe'])('set to %j, leaves detection on', (value) => {
    const sources = fakeSources({
      env: { ...env, DD_ORIGIN_DETECTION_ENABLED: value },
      cgroup: 'v1-docker.cgroup',
    });
    expect(detectOrigin(ALL, sources)).toEqual({
      entityId: POD_UID,
      containerId: DOCKER_ID,
      externalEnv: EXTERNAL,
    });
  });
});

describe('detectOrigin: DD_EXTERNAL_ENV', () => {
  const externalOnly: OriginOptions = { entityId: false, containerId: false, externalEnv: true };

  it('sends DD_EXTERNAL_ENV as the external data, commas included', () => {
    const sources = fakeSources({ env: { DD_EXTERNAL_ENV: EXTERNAL } });
    expect(detectOrigin(externalOnly, sources)).toEqual({ externalEnv: EXTERNAL });
  });

  it('removes "|", line breaks and other unprintable characters', () => {
    const sources = fakeSources({
      env: { DD_EXTERNAL_ENV: 'it-false,cn-app|#c:evil\r\n,pu-1\u0000\u200b\u00a0' },
    });
    expect(detectOrigin(externalOnly, sources)).toEqual({
      externalEnv: 'it-false,cn-app#c:evil,pu-1',
    });
  });

  it('trims surrounding whitespace', () => {
    const sources = fakeSources({ env: { DD_EXTERNAL_ENV: `  ${EXTERNAL} \n` } });
    expect(detectOrigin(externalOnly, sources)).toEqual({ externalEnv: EXTERNAL });
  });

  it.each(['', '|||', '\n', '   '])('sends no external data for %j', (value) => {
    const sources = fakeSources({ env: { DD_EXTERNAL_ENV: value } });
    expect(detectOrigin(externalOnly, sources)).toEqual({});
  });

  it('sends no external data when externalEnv is false', () => {
    const sources = fakeSources({ env: { DD_EXTERNAL_ENV: EXTERNAL } });
    expect(detectOrigin({ ...externalOnly, externalEnv: false }, sources)).toEqual({});
  });
});

describe('detectOrigin: failing sources', () => {
  it('does not throw when readFile throws, and sends no container ID', () => {
    const sources: OriginSources = {
      env: { DD_ENTITY_ID: POD_UID },
      platform: 'linux',
      readFile: () => {
        throw new Error('EACCES: permission denied');
      },
      inodeOf: (path) => ({ ...PRIVATE_NAMESPACE, '/sys/fs/cgroup': 8243 })[path],
    };
    expect(detectOrigin(ALL, sources)).toEqual({ entityId: POD_UID });
  });

  it('does not throw when inodeOf throws, and sends no inode', () => {
    const sources: OriginSources = {
      env: {},
      platform: 'linux',
      readFile: () => fixture('v2-no-id.cgroup'),
      inodeOf: () => {
        throw new Error('ELOOP: too many symbolic links');
      },
    };
    expect(detectOrigin(ALL, sources)).toEqual({});
  });
});

describe('originFields', () => {
  it('writes the container ID, then the external data', () => {
    expect(originFields({ containerId: DOCKER_ID, externalEnv: EXTERNAL })).toBe(
      `|c:${DOCKER_ID}|e:${EXTERNAL}`,
    );
  });

  it('writes an inode container field alone', () => {
    expect(originFields({ containerId: 'in-8243' })).toBe('|c:in-8243');
  });

  it('writes the external data alone', () => {
    expect(originFields({ externalEnv: EXTERNAL })).toBe(`|e:${EXTERNAL}`);
  });

  it('writes nothing for the entity ID, which travels as a tag', () => {
    expect(originFields({ entityId: POD_UID })).toBe('');
  });

  it('writes nothing when there is nothing to send', () => {
    expect(originFields({})).toBe('');
  });

  it('completes a datagram after its tags, as the official clients order it', () => {
    const origin = detectOrigin(
      ALL,
      fakeSources({
        env: { DD_ENTITY_ID: POD_UID, DD_EXTERNAL_ENV: EXTERNAL },
        cgroup: 'v1-docker.cgroup',
      }),
    );
    const datagram = `orders.created:1|c|#env:prod,${ENTITY_ID_TAG}:${origin.entityId}${originFields(origin)}`;
    expect(datagram).toBe(
      `orders.created:1|c|#env:prod,dd.internal.entity_id:${POD_UID}|c:${DOCKER_ID}|e:${EXTERNAL}`,
    );
  });
});

describe('nodeOriginSources', () => {
  it('reads a file', () => {
    expect(nodeOriginSources.readFile(__filename)).toContain("describe('nodeOriginSources'");
  });

  it('reads a missing file as undefined', () => {
    expect(nodeOriginSources.readFile(join(__dirname, 'no-such-file'))).toBeUndefined();
  });

  it('returns the inode fs.statSync reports', () => {
    expect(nodeOriginSources.inodeOf(__filename)).toBe(statSync(__filename).ino);
  });

  it('returns undefined for the inode of a missing path', () => {
    expect(nodeOriginSources.inodeOf(join(__dirname, 'no-such-file'))).toBeUndefined();
  });

  it('is what detectOrigin reads by default: process.env', () => {
    const saved = { ...process.env };
    try {
      process.env.DD_EXTERNAL_ENV = 'it-false,cn-spec,pu-0';
      delete process.env.DD_ORIGIN_DETECTION_ENABLED;
      expect(detectOrigin({ entityId: false, containerId: false, externalEnv: true })).toEqual({
        externalEnv: 'it-false,cn-spec,pu-0',
      });
    } finally {
      for (const key of ['DD_EXTERNAL_ENV', 'DD_ORIGIN_DETECTION_ENABLED']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
