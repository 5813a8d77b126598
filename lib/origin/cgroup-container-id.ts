/**
 * Reading a container ID out of the text of `/proc/self/cgroup` and `/proc/self/mountinfo`, and
 * naming the cgroup directories whose inode stands in for it. Pure text in, text out: the files
 * are read (and the inodes looked up) by `origin-detection.ts`, so every rule here is tested
 * against fixtures.
 *
 * The rules are those of the official DogStatsD clients, chiefly DataDog/datadog-go
 * `statsd/container_linux.go` and DataDog/dogstatsd-ruby `lib/datadog/statsd/origin_detection.rb`,
 * which agree with each other.
 */

/**
 * A `/proc/self/cgroup` line, `<hierarchy-id>:<controllers>:<path>`, keeping the path. The
 * controller list is empty on cgroup v2 (`0::/path`), so one pattern reads both versions; the path
 * is everything after the second colon. As datadog-go's `expLine`.
 */
const CGROUP_LINE = /^\d+:[^:]*:(.+)$/;

/**
 * The container ID shapes the clients accept, as the last path segment, with an optional systemd
 * `.scope` suffix (`docker-<id>.scope`, `cri-containerd-<id>.scope`):
 * - a UUID, hyphens or (systemd-escaped) underscores between its groups;
 * - 64 hex digits: Docker, containerd, CRI-O;
 * - 32 hex digits, `-`, digits: an ECS task's container (Fargate).
 * As datadog-go's `expContainerID` and dogstatsd-ruby's `parse_container_id`; the `.` before
 * `scope` is escaped, as in the Ruby client (datadog-go leaves it unescaped, matching any character).
 */
const CONTAINER_ID_IN_PATH =
  /([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|[0-9a-f]{64}|[0-9a-f]{32}-\d+)(?:\.scope)?$/;

/**
 * A mount of the container's own `hostname` file, `.../<parent>/<id>/hostname`, the only trace of
 * the ID left when a private cgroup namespace hides the cgroup path. The leading `.*` is greedy, so
 * the rightmost candidate on the line wins. As datadog-go's `cIDRegexpStr`: 64 hex digits or an ECS
 * task ID (its third, Garden branch ends in `$` before the required `/hostname`, so it never
 * matches, and is left out here).
 */
const CONTAINER_ID_IN_MOUNTINFO = /.*\/([^\s/]+)\/([0-9a-f]{64}|[0-9a-f]{32}-\d+)\/\S*hostname/;

/** containerd mounts a pod sandbox's hostname too; that ID names the pause container, not ours. */
const CONTAINERD_SANDBOX_DIR = 'sandboxes';

/** Where the cgroup hierarchies are mounted. As datadog-go's `defaultCgroupMountPath`. */
export const CGROUP_MOUNT_POINT = '/sys/fs/cgroup';

/** The cgroup v1 controller whose directory stands for the container. As datadog-go. */
const V1_BASE_CONTROLLER = 'memory';

/**
 * The container ID in the text of `/proc/self/cgroup` (cgroup v1 or v2): the first line whose path
 * ends in one; undefined when none does (a host process, or a private cgroup namespace, where the
 * path reads `/`).
 */
export function containerIdFromCgroup(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const path = CGROUP_LINE.exec(line)?.[1];
    const id = path === undefined ? undefined : CONTAINER_ID_IN_PATH.exec(path)?.[1];
    if (id !== undefined) return id;
  }
  return undefined;
}

/**
 * The container ID in the text of `/proc/self/mountinfo`: from the first line that mounts a
 * container's `hostname` file, unless that file belongs to a containerd sandbox, in which case
 * the next lines are tried. As datadog-go's `parseMountinfo`.
 */
export function containerIdFromMountinfo(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const match = CONTAINER_ID_IN_MOUNTINFO.exec(line);
    if (match && match[1] !== CONTAINERD_SANDBOX_DIR) return match[2];
  }
  return undefined;
}

/**
 * The cgroup directories whose inode the Agent (7.51+) can map back to a container, in the order
 * to try them: the cgroup v1 `memory` controller's node, then the cgroup v2 node (`0::<path>`).
 * Only lines of exactly three `:`-separated fields count. As datadog-go's `getCgroupInode` and
 * dogstatsd-ruby's `get_cgroup_inode`.
 */
export function cgroupInodePaths(text: string): string[] {
  const nodes = new Map<string, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length !== 3) continue;
    const [, controller, nodePath] = fields as [string, string, string];
    if (controller === V1_BASE_CONTROLLER || controller === '') nodes.set(controller, nodePath);
  }
  const paths: string[] = [];
  for (const controller of [V1_BASE_CONTROLLER, '']) {
    const nodePath = nodes.get(controller);
    if (nodePath !== undefined) paths.push(joinPath(CGROUP_MOUNT_POINT, controller, nodePath));
  }
  return paths;
}

/** Segments joined with single slashes and no trailing one, as Go's `path.Join` cleans them. */
function joinPath(...segments: string[]): string {
  const parts = segments.flatMap((segment) => segment.split('/')).filter((part) => part !== '');
  return `/${parts.join('/')}`;
}
