/**
 * The UDP sink in its own process, for benchmarks whose own event loop is busy (a blocked loop
 * cannot drain the socket, and the kernel drops what overflows its buffer).
 * IPC: { cmd: 'reset' | 'snapshot', id } and { cmd: 'wait', id, expected: { name: count }, timeoutMs, quietMs }.
 */
import { UdpSink } from './udp-sink';

interface Command {
  cmd: 'reset' | 'snapshot' | 'wait';
  id: number;
  expected?: Record<string, number>;
  timeoutMs?: number;
  quietMs?: number;
}

async function main(): Promise<void> {
  const sink = new UdpSink();
  const port = await sink.start();
  process.on('message', (m: Command) => {
    void (async () => {
      if (m.cmd === 'reset') sink.reset();
      const snap =
        m.cmd === 'wait'
          ? await sink.waitFor(
              (s) => Object.entries(m.expected ?? {}).every(([n, c]) => (s.byName[n] ?? 0) >= c),
              m.quietMs ?? 1000,
              m.timeoutMs ?? 10_000,
            )
          : sink.snapshot();
      process.send?.({ id: m.id, snapshot: snap });
    })();
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true, port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
