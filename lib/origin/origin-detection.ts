import { readFileSync, statSync } from 'node:fs';
import {
  cgroupInodePaths,
  containerIdFromCgroup,
  containerIdFromMountinfo,
} from './cgroup-container-id';

/**
 * DogStatsD origin detection: what tells the Datadog Agent which pod and container a datagram
 * came from, computed the way the official clients compute it (DataDog/datadog-go
 * `statsd/statsd.go`, `statsd/container_linux.go`, `statsd/external_env.go`; hot-shots 17
 * `lib/originDetection.js`, `lib/helpers.js`; https://docs.datadoghq.com/developers/dogstatsd/datagram_shell/).
 * Detection reads files, so it is meant to run once, at startup; the result is plain strings.
 */

/** Where origin detection reads from; injected so tests feed fixtures. */
export interface OriginSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A file's text, undefined when missing or unreadable. */
  readFile(path: string): string | undefined;
  /** A path's inode number (fs.statSync(path).ino), undefined when missing. */
  inodeOf(path: string): number | undefined;
  /** The OS, as `process.platform`; container detection runs on `'linux'` only. */
  readonly platform?: string;
}

/** What origin detection sends. */
export interface OriginOptions {
  /** Add `dd.internal.entity_id` from DD_ENTITY_ID. */
  readonly entityId: boolean;
  /** Send the container ID in `|c:`: true detects it, a string is used as is, false sends none. */
  readonly containerId: boolean | string;
  /** Send DD_EXTERNAL_ENV in `|e:`. */
  readonly externalEnv: boolean;
}

/** The origin values to put on the wire; a field is absent when it is not to be sent. */
export interface Origin {
  /** Value of the `dd.internal.entity_id` tag, when sent. */
  readonly entityId?: string;
  /** The `|c:` value (a container ID or `in-<inode>`), when sent. */
  readonly containerId?: string;
  /** The `|e:` value, when sent. */
  readonly externalEnv?: string;
}

/** The tag that carries DD_ENTITY_ID (the pod UID), as every official client names it. */
export const ENTITY_ID_TAG = 'dd.internal.entity_id';

/**
 * The inode `/proc/self/ns/cgroup` has in the host's (initial) cgroup namespace, fixed by the
 * kernel (`PROC_CGROUP_INIT_INO`, include/linux/proc_ns.h). As datadog-go, it cannot tell a
 * Docker-in-Docker namespace from the host's.
 */
export const HOST_CGROUP_NAMESPACE_INODE = 0xeffffffb;

/**
 * Values of DD_ORIGIN_DETECTION_ENABLED that turn detection off: datadog-go's `strconv.ParseBool`
 * false values and hot-shots' FALSEY_ENV_VALUES, compared without case. Anything else keeps it on,
 * as in both (datadog-go treats a value it cannot parse as true).
 */
const DISABLING_VALUES = new Set(['false', 'f', '0', 'no', 'n', 'off']);

// As datadog-go's sanitizeExternalEnv (keep what unicode.IsPrint keeps, drop '|'); with hot-shots'
// trim after it, nothing left can end the field or the line.
const UNPRINTABLE_OR_PIPE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]|\|/gu;
// As hot-shots' sanitizeTags, applied to DD_ENTITY_ID: what would split the tag list or the line.
const ENTITY_ID_UNSAFE = /[:|@,#\n\r]/g;

/** The real process: `process.env`, `/proc` and `/sys` through `node:fs`, never throwing. */
export const nodeOriginSources: OriginSources = {
  env: process.env,
  platform: process.platform,
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  inodeOf(path) {
    try {
      return statSync(path, { throwIfNoEntry: false })?.ino;
    } catch {
      return undefined;
    }
  },
};

/**
 * The origin values for these options, read from `sources`. Never throws: a source that fails
 * counts as "not detected".
 * @example detectOrigin({ entityId: true, containerId: true, externalEnv: true })
 */
export function detectOrigin(
  options: OriginOptions,
  sources: OriginSources = nodeOriginSources,
): Origin {
  const env = sources.env;
  // As datadog-go's isOriginDetectionEnabled and fillInContainerID: the variable turns off |c:
  // detection and |e:, but neither an explicit container ID nor the entity ID tag (datadog-go and
  // hot-shots add that tag whatever the variable says).
  const enabled = !DISABLING_VALUES.has(
    (env.DD_ORIGIN_DETECTION_ENABLED ?? '').trim().toLowerCase(),
  );
  // An empty DD_ENTITY_ID is not sent, as datadog-go and hot-shots. Current datadog-go and hot-shots
  // send it next to the container ID (older datadog-go skipped container detection when it was set).
  const rawEntityId = options.entityId ? env.DD_ENTITY_ID : undefined;
  const entityId = rawEntityId ? rawEntityId.replace(ENTITY_ID_UNSAFE, '_') : undefined;
  // As datadog-go (external_env.go, format.go) and hot-shots: sanitized, and not sent when empty.
  const externalEnv =
    options.externalEnv && enabled
      ? orUndefined((env.DD_EXTERNAL_ENV ?? '').replace(UNPRINTABLE_OR_PIPE, '').trim())
      : undefined;
  const containerId = resolveContainerId(options.containerId, enabled, sources);
  return {
    ...(entityId !== undefined && { entityId }),
    ...(containerId !== undefined && { containerId }),
    ...(externalEnv !== undefined && { externalEnv }),
  };
}

/**
 * The datagram fields after the tags, e.g. `|c:abc|e:it-false,cn-app,pu-123`; '' when none. The
 * order is datadog-go's (`format.go`), dogstatsd-ruby's and hot-shots': container, then external
 * data. The Agent's parser matches each optional field by its prefix, in any order, so where
 * `|T<timestamp>` goes does not matter to it (datadog-go writes it after these, hot-shots before
 * the tags).
 */
export function originFields(origin: Origin): string {
  const container = origin.containerId ? `|c:${origin.containerId}` : '';
  const external = origin.externalEnv ? `|e:${origin.externalEnv}` : '';
  return container + external;
}

function resolveContainerId(
  option: boolean | string,
  enabled: boolean,
  sources: OriginSources,
): string | undefined {
  if (typeof option === 'string') {
    // Used as given, on every platform and whatever DD_ORIGIN_DETECTION_ENABLED says, as datadog-go
    // (WithContainerID) and hot-shots (containerID). They send it unchecked; here the characters
    // that would split the datagram are dropped first. Empty means "not given", as in both.
    const given = option.replace(UNPRINTABLE_OR_PIPE, '').trim();
    if (given !== '') return given;
  } else if (!option) {
    return undefined;
  }
  if (!enabled || (sources.platform ?? process.platform) !== 'linux') return undefined;
  return detectContainerId(sources);
}

/**
 * As datadog-go's readCIDOrInode and dogstatsd-ruby's get_container_id: the ID from the cgroup
 * paths, else from the mounts; else, outside the host cgroup namespace, `in-<inode>` of the
 * process's cgroup node, which the Agent maps back to the container (Agent 7.51+, protocol v1.4).
 */
function detectContainerId(sources: OriginSources): string | undefined {
  const cgroup = safely(() => sources.readFile('/proc/self/cgroup')) ?? '';
  const id =
    containerIdFromCgroup(cgroup) ??
    containerIdFromMountinfo(safely(() => sources.readFile('/proc/self/mountinfo')) ?? '');
  if (id !== undefined) return id;
  // In the host namespace the cgroup path is the real one: no ID in it means no container.
  const namespace = safely(() => sources.inodeOf('/proc/self/ns/cgroup'));
  if (namespace === HOST_CGROUP_NAMESPACE_INODE) return undefined;
  for (const path of cgroupInodePaths(cgroup)) {
    const inode = safely(() => sources.inodeOf(path));
    // As hot-shots: inodes 1 and 2 are file-system roots, never a container's node.
    if (inode !== undefined && inode > 2) return `in-${inode}`;
  }
  return undefined;
}

function safely<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function orUndefined(text: string): string | undefined {
  return text === '' ? undefined : text;
}
