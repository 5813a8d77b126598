import { readFileSync } from 'node:fs';

/**
 * The kernel's count of UDP datagrams dropped because a receiving socket's buffer was full
 * (`RcvbufErrors` in /proc/net/snmp; machine-wide). Undefined where it cannot be read.
 */
export function udpReceiveBufferErrors(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp: '));
    const [header, values] = lines.map((l) => l.slice(5).trim().split(/\s+/));
    const i = header?.indexOf('RcvbufErrors') ?? -1;
    return i >= 0 && values ? Number(values[i]) : undefined;
  } catch {
    return undefined;
  }
}
