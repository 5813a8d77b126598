import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { StatsdModule } from '../../lib';
import { GIVE_UP_DEAR_AFTER_MS } from '../../lib/cpu/attributed-cpu-clock';
import { ADAPTERS, applicationOn, type AdapterName } from '../fixtures/http-app';
import { GatedController, HandlerGate } from '../fixtures/http-controllers';
import { PingController } from '../fixtures/ping.controller';
import {
  closeAndDrain,
  CPU,
  requestTags,
  sinkOptions,
  valueCount,
  WALL,
} from '../fixtures/request-metrics';
import { getBody } from '../utils/http-get';
import { UdpCollector } from '../utils/udp-collector';

const LONG_TAGS = requestTags({
  controller: 'GatedController',
  handler: 'wait',
  route: '/gated',
  status: 200,
});
const PING_TAGS = requestTags({
  controller: 'PingController',
  handler: 'ping',
  route: '/ping',
  status: 200,
});

/**
 * How long the long request stays open while other requests come. A period ends at the first
 * request after its second is over; the one that began before the long request ends within its
 * first second, so the next one, wholly inside, ends within two, the long request then over a
 * second old: that end is where it is judged.
 */
const OPEN_FOR_MS = 2 * GIVE_UP_DEAR_AFTER_MS + 300;

/**
 * While a measured request is open, every callback of the process runs through the accounting's
 * hooks, measured or not. With the default options a request kept open while that cost the other
 * requests more than the budget is given up (no `.cpu`); on a lightly loaded process it is not.
 */
describe.each(ADAPTERS)('long requests and the CPU budget (%s)', (adapter: AdapterName) => {
  let collector: UdpCollector;
  let app: INestApplication | undefined;
  let agent: Agent;
  let port: number;

  beforeEach(async () => {
    collector = await UdpCollector.start();
    agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const moduleRef = await Test.createTestingModule({
      imports: [StatsdModule.forRoot(sinkOptions(collector))],
      controllers: [GatedController, PingController],
      providers: [HandlerGate],
    }).compile();
    app = applicationOn(adapter, moduleRef);
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterEach(async () => {
    app?.get(HandlerGate).release();
    agent.destroy();
    await app?.close();
    await collector.close();
  });

  const getText = (path: string) => getBody(agent, port, path);

  /** Opens the gated request, the application's first (so measured), and waits for its handler. */
  async function openLongRequest(): Promise<{ response: Promise<string> }> {
    const response = getText('/gated');
    await app!.get(HandlerGate).started;
    // Wrapped: an async function returning the promise itself would wait for the response.
    return { response };
  }

  /**
   * Ends the gated request, waits for its wall time, then closes the application so that every
   * line it would send has arrived (a `.cpu` line included, if there is one).
   */
  async function closeLongRequest(long: { response: Promise<string> }): Promise<readonly string[]> {
    app!.get(HandlerGate).release();
    expect(await long.response).toBe('released');
    await collector.waitForLines((lines) => valueCount(lines, WALL, LONG_TAGS) === 1);
    const lines = await closeAndDrain(app!, collector);
    app = undefined;
    return lines;
  }

  it('gives up a request kept open while the others paid its accounting beyond the budget', async () => {
    const long = await openLongRequest();
    // Ten requests at a time, back to back: past the first period most are not measured, and their
    // callbacks cost the accounting only because the long request is.
    const since = performance.now();
    while (performance.now() - since < OPEN_FOR_MS) {
      await Promise.all(Array.from({ length: 10 }, () => getText('/ping')));
    }
    const lines = await closeLongRequest(long);

    expect(valueCount(lines, CPU, LONG_TAGS)).toBe(0);
    // The others are still measured, a sample of them.
    expect(valueCount(lines, CPU, PING_TAGS)).toBeGreaterThan(0);
  });

  it('keeps a long request measured on a lightly loaded process', async () => {
    const long = await openLongRequest();
    // A request every 100 ms: periods end while the long request is open, as under load.
    const since = performance.now();
    while (performance.now() - since < OPEN_FOR_MS) {
      await getText('/ping');
      await sleep(100);
    }
    const lines = await closeLongRequest(long);

    expect(valueCount(lines, CPU, LONG_TAGS)).toBe(1);
  });
});
