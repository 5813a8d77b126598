// Bounded load test (npm run test:load): autocannon against the sample app (sample/app.module.ts,
// built into dist-sample/), with Etsy's StatsD daemon on loopback as the agent and the sample
// sending `flavor: 'statsd'` (STATSD_FLAVOR). Checks that every request served is one value of
// the daemon's request timers, reports UDP drops per request-rate stage, and fits a line through
// the app's RSS (sampled every second) to show it does not grow.
//
// LOAD_DURATION=20 (seconds, at most 60) LOAD_CONNECTIONS=50
import autocannon from 'autocannon';
import { fork, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const builtSample = join(here, '..', '..', 'dist-sample', 'sample');
const require = createRequire(import.meta.url);
// The sample's own names: its request metrics (`sample.http.request`, `….cpu`) and API key.
const { REQUEST_METRICS } = require(join(builtSample, 'metrics.config.js'));
const { SAMPLE_API_KEY } = require(join(builtSample, 'admin', 'api-key.guard.js'));
// A mix of the sample's fast routes, all 2xx; each connection cycles through them in order.
const routes = [
  { method: 'GET', path: '/api/users' },
  ...[1, 2, 3, 4, 5].map((id) => ({ method: 'GET', path: `/api/users/${id}` })),
  { method: 'GET', path: '/api/admin/stats', headers: { 'x-api-key': SAMPLE_API_KEY } },
];
const duration = Math.min(Number(process.env.LOAD_DURATION ?? 20), 60);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 50);
// Request-rate stages (req/s; 0 = as fast as possible): a ramp over the first 40% of the run to
// see at which rate UDP drops start (a quarter of the run), then a steady phase at full rate
// whose RSS is regressed.
const stages = [500, 1500, 3000, 0];
const rampSeconds = Math.max(1, Math.floor((duration * 0.25) / (stages.length - 1)));
const steadySeconds = duration - rampSeconds * (stages.length - 1);
const secondsOf = (index) => (index === stages.length - 1 ? steadySeconds : rampSeconds);

const failures = [];
const check = (ok, message) => {
  if (!ok) failures.push(message);
};

const daemon = await startDaemon();
const app = fork(join(here, 'sample-app.mjs'), {
  env: {
    ...process.env,
    STATSD_HOST: '127.0.0.1',
    STATSD_PORT: String(daemon.port),
    // Etsy's daemon reads only the last value of a multi-value DogStatsD line.
    STATSD_FLAVOR: 'statsd',
  },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  execArgv: ['--expose-gc'],
});
const rss = [];
const replies = [];
app.on('message', (message) =>
  message.type === 'rss' ? rss.push(message) : replies.push(message),
);
const reply = (type) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" from the app`)), 10_000);
    const poll = setInterval(() => {
      const index = replies.findIndex((message) => message.type === type);
      if (index < 0) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(replies.splice(index, 1)[0]);
    }, 5);
  });

try {
  const { port, target } = await reply('ready');
  const url = `http://127.0.0.1:${port}`;
  console.log(
    `load test: sample app on ${url}, metrics to the daemon at udp://${target.host}:${target.port} (${target.flavor}); ` +
      `${duration} s, ${connections} connections, stages ${stages.map((rate) => rate || 'max').join(' -> ')} req/s`,
  );
  console.log(`routes: ${routes.map((route) => `${route.method} ${route.path}`).join(', ')}`);
  check(target.flavor === 'statsd', `the sample sends flavor ${target.flavor}, not statsd`);
  let served = 0;
  let non2xx = 0;
  let previousSent = 0;
  let previousPackets = await daemonCounter(daemon, 'statsd.packets_received');
  const stageRows = [];
  let steadyStartedAt = 0;
  for (const [index, rate] of stages.entries()) {
    const stageSeconds = secondsOf(index);
    if (index === stages.length - 1) steadyStartedAt = Date.now();
    const result = await autocannon({
      url,
      requests: routes,
      connections,
      duration: stageSeconds,
      ...(rate ? { overallRate: rate } : {}),
    });
    const responses = result['2xx'] + result.non2xx;
    served += responses;
    non2xx += result.non2xx;
    app.send({ type: 'flush' });
    const { stats } = await reply('flushed');
    const sent = stats.datagramsSent - previousSent;
    const packets = await settle(
      () => daemonCounter(daemon, 'statsd.packets_received'),
      previousPackets + sent,
    );
    stageRows.push({
      'target req/s': rate || 'max',
      'req/s': Math.round(responses / stageSeconds),
      responses,
      errors: result.errors + result.timeouts,
      'datagrams sent': sent,
      'datagrams received': packets - previousPackets,
      'dropped (udp)': sent - (packets - previousPackets),
    });
    previousSent = stats.datagramsSent;
    previousPackets = packets;
  }
  app.send({ type: 'stop' });
  const stopped = await reply('stopped');
  console.table(stageRows);

  const timers = await settle(
    async () => requestTimerValues(await mgmt(daemon, 'timers')).total,
    served,
  );
  const { perKey } = requestTimerValues(await mgmt(daemon, 'timers'));
  const badLines = (await mgmt(daemon, 'stats')).match(/bad_lines_seen: (\d+)/)?.[1];
  const drops = stageRows.reduce((sum, row) => sum + row['dropped (udp)'], 0);
  const firstDrop = stageRows.find((row) => row['dropped (udp)'] > 0);
  console.log(`requests served (autocannon 2xx + non-2xx): ${served} (non-2xx: ${non2xx})`);
  console.log(
    `request timer values in the daemon:         ${timers} (${REQUEST_METRICS.wall}.* without ${REQUEST_METRICS.cpu}.*)`,
  );
  for (const [key, count] of perKey) console.log(`  ${key}: ${count}`);
  console.log(
    `client stats at close: ${JSON.stringify(stopped.stats)}; close took ${stopped.closeMs} ms`,
  );
  console.log(
    `daemon bad lines: ${badLines}; UDP datagrams dropped: ${drops}${firstDrop ? ` (first at target ${firstDrop['target req/s']} req/s)` : ' (none at any stage)'}`,
  );

  // RSS of the steady phase, after 3 s of warm-up (heap sizing follows the load of the ramp).
  const samples = rss
    .filter(
      (sample) =>
        sample.at >= steadyStartedAt + 3000 && sample.at <= steadyStartedAt + steadySeconds * 1000,
    )
    .map((sample) => [(sample.at - steadyStartedAt) / 1000, sample.rss / 1048576]);
  const slope = slopeOf(samples);
  const rssValues = samples.map(([, mib]) => mib);
  console.log(
    `RSS samples (s, MiB): ${samples.map(([at, mib]) => `${at.toFixed(0)}:${mib.toFixed(1)}`).join(' ')}`,
  );
  console.log(
    `RSS: ${samples.length} samples after warm-up, ${Math.min(...rssValues).toFixed(1)}–${Math.max(...rssValues).toFixed(1)} MiB, ` +
      `Theil–Sen slope ${(slope * 60).toFixed(2)} MiB/min (least squares ${(leastSquaresSlope(samples) * 60).toFixed(2)}) at steady load`,
  );

  // In-flight requests cut by autocannon at a stage end are measured by the server (as 499 or
  // 200) but not counted by autocannon: allow one per connection per stage.
  check(
    timers >= served && timers - served <= connections * stages.length,
    `daemon has ${timers} request timings for ${served} served requests`,
  );
  check(
    drops === 0 || drops === stopped.stats.queueFullDatagramsDropped,
    `${drops} UDP datagrams lost between client and daemon`,
  );
  check(non2xx === 0, `${non2xx} responses were not 2xx (the route mix should answer 2xx only)`);
  check(Number(badLines) === 0, `daemon saw ${badLines} bad lines`);
  check(stopped.faults.length === 0, `unhandled in the app: ${stopped.faults.join('; ')}`);
  // A growth trend: a slope above 10 MiB/min that is also clearly above the noise (its lower
  // 2-standard-error bound is positive). Short runs have wide bounds; LOAD_DURATION=60 narrows them.
  const error = slopeStandardError(samples);
  console.log(
    `RSS trend: ${(slope * 60).toFixed(2)} ± ${(2 * error * 60).toFixed(2)} MiB/min (2 standard errors)`,
  );
  check(samples.length >= 5, `only ${samples.length} RSS samples`);
  check(
    !(slope * 60 > 10 && slope - 2 * error > 0),
    `RSS grows ${(slope * 60).toFixed(2)} MiB/min at steady load`,
  );
} catch (error) {
  failures.push(error instanceof Error ? error.stack : String(error));
} finally {
  if (app.exitCode === null) app.kill();
  await daemon.stop();
}

if (failures.length > 0) {
  console.error(`load test FAILED:\n- ${failures.join('\n- ')}`);
  process.exitCode = 1;
} else {
  console.log('load test passed');
}

/**
 * Values of the daemon's request timers (wall time), summed over its keys and per key. With
 * `flavor: 'statsd'` the tags are folded into the key (`sample.http.request.env_dev.…`, a
 * `key_value` segment per tag), so there is one key per tag set. The CPU timers
 * (`sample.http.request.cpu.…`) share the prefix and are left out.
 */
function requestTimerValues(timersReply) {
  let total = 0;
  const perKey = [];
  for (const match of timersReply.matchAll(/'([^']*)': \[([^\]]*)\]/g)) {
    const key = match[1];
    if (!key.startsWith(`${REQUEST_METRICS.wall}.`) || key.startsWith(`${REQUEST_METRICS.cpu}.`)) {
      continue;
    }
    const count = match[2].split(',').filter((value) => value.trim() !== '').length;
    perKey.push([key, count]);
    total += count;
  }
  return { total, perKey };
}

/** Least-squares slope of y over x. */
function leastSquaresSlope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Standard error of the least-squares slope (from the residuals). */
function slopeStandardError(points) {
  const n = points.length;
  if (n < 3) return Infinity;
  const slope = leastSquaresSlope(points);
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const intercept = meanY - slope * meanX;
  const residuals = points.reduce((sum, [x, y]) => sum + (y - intercept - slope * x) ** 2, 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return Math.sqrt(residuals / (n - 2) / sxx);
}

/**
 * Theil–Sen slope (median of the pairwise slopes): a regression line that single GC spikes of
 * RSS (+15–20 MiB for one sample) cannot tilt, unlike least squares over a short run.
 */
function slopeOf(points) {
  const slopes = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j][0] - points[i][0];
      if (dx > 0) slopes.push((points[j][1] - points[i][1]) / dx);
    }
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  return slopes[Math.floor(slopes.length / 2)];
}

/** Polls `read` until it reaches `target` or stops changing for 500 ms; returns the last value. */
async function settle(read, target) {
  let last = await read();
  let stableSince = Date.now();
  const deadline = Date.now() + 10_000;
  while (last < target && Date.now() < deadline && Date.now() - stableSince < 500) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const value = await read();
    if (value !== last) stableSince = Date.now();
    last = value;
  }
  return last;
}

async function daemonCounter(daemonInfo, name) {
  const text = await mgmt(daemonInfo, 'counters');
  const match = text.match(new RegExp(`'${name.replace(/\./g, '\\.')}': (\\d+)`));
  return match ? Number(match[1]) : 0;
}

/** One management command; resolves with the reply up to `END`. */
function mgmt(daemonInfo, command) {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(daemonInfo.mgmtPort, '127.0.0.1', () => socket.write(`${command}\n`));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`mgmt ${command}: no reply`));
    }, 5000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
      if (/(^|\n)END\n/.test(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Starts Etsy's StatsD daemon (npm `statsd`) on free loopback ports with a one-hour flush. */
async function startDaemon() {
  const port = await new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port: free } = socket.address();
      socket.close(() => resolve(free));
    });
  });
  const mgmtPort = await new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'load-statsd-'));
  const config = join(dir, 'config.js');
  writeFileSync(
    config,
    `(${JSON.stringify({ port, address: '127.0.0.1', mgmt_address: '127.0.0.1', mgmt_port: mgmtPort, backends: ['./backends/console'], flushInterval: 3_600_000 })})\n`,
  );
  const preload = join(dir, 'inspect-unlimited.js');
  writeFileSync(preload, "require('node:util').inspect.defaultOptions.maxArrayLength = null;\n");
  const statsJs = join(
    dirname(createRequire(import.meta.url).resolve('statsd/package.json')),
    'stats.js',
  );
  const child = spawn(process.execPath, ['--require', preload, statsJs, config], {
    stdio: 'ignore',
  });
  const info = {
    port,
    mgmtPort,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', resolve),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await mgmt(info, 'counters');
      return info;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
