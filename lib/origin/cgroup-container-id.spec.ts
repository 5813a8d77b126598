import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cgroupInodePaths,
  containerIdFromCgroup,
  containerIdFromMountinfo,
} from './cgroup-container-id';

function fixture(name: string): string {
  return readFileSync(join(__dirname, '../../test/fixtures/cgroup', name), 'utf8');
}

describe('containerIdFromCgroup', () => {
  it.each([
    [
      'Docker on cgroup v1',
      'v1-docker.cgroup',
      '35ae17879f68849c45516201104faee303a23cebbd88fe8c3d729b9dc0b55a61',
    ],
    [
      'Kubernetes (containerd, systemd slices) on cgroup v1, without ".scope"',
      'v1-kubernetes.cgroup',
      '68d37e949f808ceb73c402d89f7a0269c7be4742d52f18b8b1122469691e4c5a',
    ],
    [
      'ECS on EC2, the container and not the task',
      'v1-ecs.cgroup',
      'f75fe4d6d413bb4d0b98c62a8b747d0855c8e39224bca89768890a23178bbec9',
    ],
    ['ECS on Fargate', 'v1-fargate.cgroup', 'f02256565efe64972f0d2112567c49c6-2847218716'],
    ['a UUID-shaped ID', 'v1-uuid.cgroup', '077a0275-a274-46dd-b3d1-999b85b08f80'],
    [
      'Docker on cgroup v2 in the host cgroup namespace',
      'v2-container-id.cgroup',
      '6b243f498ea34fff0cf0f8c55e27530822c69c86bad1d9cf5c1790e9df32e2f0',
    ],
  ])('reads the ID of %s', (_case, file, id) => {
    expect(containerIdFromCgroup(fixture(file))).toBe(id);
  });

  it.each(['v1-no-id.cgroup', 'v2-no-id.cgroup', 'host-v1.cgroup', 'host-v2.cgroup'])(
    'finds no ID in %s',
    (file) => {
      expect(containerIdFromCgroup(fixture(file))).toBeUndefined();
    },
  );

  it('accepts a UUID whose groups systemd escaped with "_"', () => {
    const text = '1:name=systemd:/system.slice/app-077a0275_a274_46dd_b3d1_999b85b08f80.scope\n';
    expect(containerIdFromCgroup(text)).toBe('077a0275_a274_46dd_b3d1_999b85b08f80');
  });

  it('ignores an ID that is not the last path segment', () => {
    const id = '35ae17879f68849c45516201104faee303a23cebbd88fe8c3d729b9dc0b55a61';
    expect(containerIdFromCgroup(`4:memory:/docker/${id}/nested\n`)).toBeUndefined();
  });

  it('ignores upper-case hex, which no runtime writes', () => {
    const id = '35AE17879F68849C45516201104FAEE303A23CEBBD88FE8C3D729B9DC0B55A61';
    expect(containerIdFromCgroup(`4:memory:/docker/${id}\n`)).toBeUndefined();
  });

  it('skips lines that are not "<id>:<controllers>:<path>"', () => {
    const id = '35ae17879f68849c45516201104faee303a23cebbd88fe8c3d729b9dc0b55a61';
    expect(containerIdFromCgroup(`garbage/${id}\n\n2:cpu:/docker/${id}\n`)).toBe(id);
  });

  it('returns undefined for empty text', () => {
    expect(containerIdFromCgroup('')).toBeUndefined();
  });
});

describe('containerIdFromMountinfo', () => {
  it('reads the ID from the mount of the container hostname file (Docker, cgroup v2)', () => {
    expect(containerIdFromMountinfo(fixture('v2-docker.mountinfo'))).toBe(
      '4f68c35e9cf243b4f2e1a5e8541b05c643b8f9ca0755c95fa83b385f6eeb3dac',
    );
  });

  it('ignores the hostname of a containerd pod sandbox (Kubernetes)', () => {
    expect(containerIdFromMountinfo(fixture('v2-kubernetes.mountinfo'))).toBeUndefined();
  });

  it('reads an ECS task container ID', () => {
    const line =
      '812 800 259:1 /var/lib/ecs/data/f02256565efe64972f0d2112567c49c6-2847218716/hostname /etc/hostname rw - ext4 /dev/root rw';
    expect(containerIdFromMountinfo(line)).toBe('f02256565efe64972f0d2112567c49c6-2847218716');
  });

  it('returns undefined for empty text', () => {
    expect(containerIdFromMountinfo('')).toBeUndefined();
  });
});

describe('cgroupInodePaths', () => {
  it('names the cgroup v2 node at the mount point, without a trailing slash', () => {
    expect(cgroupInodePaths(fixture('v2-no-id.cgroup'))).toEqual(['/sys/fs/cgroup']);
  });

  it('names the memory controller node first, then the v2 node', () => {
    expect(cgroupInodePaths(fixture('host-v1.cgroup'))).toEqual([
      '/sys/fs/cgroup/memory/user.slice/user-1000.slice/session-3.scope',
      '/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope',
    ]);
  });

  it('names the memory controller node of a v1-only system', () => {
    expect(cgroupInodePaths(fixture('v1-ecs.cgroup'))).toEqual([
      '/sys/fs/cgroup/memory/ecs/production-cluster/f0e8b47ea08d9a07dbd73ff49170e634/f75fe4d6d413bb4d0b98c62a8b747d0855c8e39224bca89768890a23178bbec9',
    ]);
  });

  it('skips a line whose path holds a ":"', () => {
    expect(cgroupInodePaths('0::/odd:path\n')).toEqual([]);
  });

  it('names nothing for empty text', () => {
    expect(cgroupInodePaths('')).toEqual([]);
  });
});
