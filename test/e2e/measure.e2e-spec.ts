import {
  type CanActivate,
  type DynamicModule,
  Controller,
  type ExecutionContext,
  Get,
  type INestApplication,
  Injectable,
  Scope,
  SetMetadata,
  UseGuards,
  type Provider,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { ApiOperation, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { lastValueFrom, Observable, throwError, timer, map, defer } from 'rxjs';
import request from 'supertest';
import { Measure, StatsdModule, StatsdService, type CpuMode } from '../../lib';
import type { ParsedMetric } from '../utils/statsd-line-parser';
import { flushedMetrics } from '../fixtures/request-metrics';
import { UdpCollector } from '../utils/udp-collector';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Providers and controllers under test. Decorators run once, at import, as in an application.
// ---------------------------------------------------------------------------------------------

class OrderRejected extends Error {}

@Injectable()
class OrdersService {
  readonly factor = 10;
  readonly calls: string[] = [];

  @Measure()
  total(quantity: number, price: number): number {
    return quantity * price * this.factor;
  }

  @Measure()
  async slow(): Promise<string> {
    await sleep(50);
    return `slow x${this.factor}`;
  }

  @Measure()
  reject(error: Error): never {
    throw error;
  }

  @Measure()
  async rejectLater(error: Error): Promise<never> {
    await sleep(1);
    throw error;
  }

  @Measure()
  stream(): Observable<number> {
    this.calls.push('stream called');
    return defer(() => {
      this.calls.push('stream subscribed');
      return timer(30).pipe(map(() => this.factor));
    });
  }

  @Measure()
  failingStream(error: Error): Observable<never> {
    return throwError(() => error);
  }

  @Measure()
  lazyQuery(thenable: PromiseLike<unknown>): PromiseLike<unknown> {
    return thenable;
  }

  @Measure('orders.checkout', { tags: { channel: 'web' } })
  checkout(): string {
    return 'checked out';
  }
}

@Measure()
@Injectable()
class InventoryService {
  readonly stock = 3;

  reserve(): number {
    return this.stock - 1;
  }

  async release(): Promise<number> {
    return this.stock + 1;
  }

  get label(): string {
    return 'inventory';
  }
}

@Measure('pricing', { tags: { tier: 'gold' } })
@Injectable()
class PricingService {
  quote(): number {
    return 9;
  }
}

const Roles = (...roles: string[]) => SetMetadata('roles', roles);

/** Lets a request through when its `x-role` header is one of the handler's roles (if any). */
@Injectable()
class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<string[] | undefined>('roles', context.getHandler());
    if (roles === undefined) return true;
    const role = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers[
      'x-role'
    ];
    return roles.includes(role ?? '');
  }
}

@Controller('admin')
@UseGuards(RolesGuard)
class AdminController {
  /** @Measure applied first (it is listed last), the roles after it. */
  @Get('measured-first')
  @Roles('admin')
  @ApiOperation({ summary: 'Measured first' })
  @Measure()
  measuredFirst(): string {
    return 'first';
  }

  /** @Measure applied last (it is listed first), after the roles and Swagger. */
  @Measure()
  @Get('measured-last')
  @Roles('admin')
  @ApiOperation({ summary: 'Measured last' })
  measuredLast(): string {
    return 'last';
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedWorker {
  private static created = 0;
  readonly id = ++RequestScopedWorker.created;

  @Measure()
  async work(): Promise<number> {
    await sleep(1);
    return this.id;
  }
}

@Controller('scoped')
class ScopedController {
  constructor(private readonly worker: RequestScopedWorker) {}

  @Get()
  async handle(): Promise<{ id: number }> {
    return { id: await this.worker.work() };
  }
}

@Injectable()
class OrderListeners {
  readonly received: unknown[] = [];

  @OnEvent('order.created')
  @Measure()
  onCreatedMeasuredFirst(payload: unknown): void {
    this.received.push(['measured first', payload]);
  }

  @Measure()
  @OnEvent('order.created')
  onCreatedMeasuredLast(payload: unknown): void {
    this.received.push(['measured last', payload]);
  }
}

// ---------------------------------------------------------------------------------------------

interface Setup {
  cpu?: CpuMode;
  controllers?: Type[];
  providers?: Provider[];
  imports?: Array<Type | DynamicModule>;
}

describe('@Measure() on providers and controllers', () => {
  let collector: UdpCollector;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    collector = await UdpCollector.start();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await collector.close();
  });

  async function start(setup: Setup = {}): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        StatsdModule.forRoot({
          port: collector.port,
          prefix: 'app',
          globalTags: { env: 'test' },
          cpu: setup.cpu ?? 'attributed',
          flushInterval: 3_600_000,
          http: false,
        }),
        ...(setup.imports ?? []),
      ],
      controllers: setup.controllers ?? [],
      providers: setup.providers ?? [OrdersService],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  /**
   * Flushes everything recorded, plus a marker sent last, and returns the parsed metrics that
   * arrived before it (so tests can also assert that something was NOT recorded).
   */
  function recorded(): Promise<ParsedMetric[]> {
    return flushedMetrics(app!.get(StatsdService), collector);
  }

  function named(metrics: ParsedMetric[], name: string): ParsedMetric[] {
    return metrics.filter((metric) => metric.name === name);
  }

  describe('on a singleton service', () => {
    it('records wall and CPU time of a sync method, tagged outcome:success', async () => {
      const orders = (await start()).get(OrdersService);
      expect(orders.total(2, 3)).toBe(60);
      const metrics = await recorded();
      expect(
        metrics.map(({ name, type, tags, values }) => ({ name, type, tags, count: values.length })),
      ).toEqual([
        {
          name: 'app.OrdersService.total',
          type: 'ms',
          tags: { env: 'test', outcome: 'success' },
          count: 1,
        },
        {
          name: 'app.OrdersService.total.cpu',
          type: 'ms',
          tags: { env: 'test', outcome: 'success' },
          count: 1,
        },
      ]);
    });

    it('keeps `this` bound to the instance', async () => {
      const orders = (await start()).get(OrdersService);
      expect(orders.total(1, 1)).toBe(orders.factor);
      await expect(orders.slow()).resolves.toBe('slow x10');
    });

    it('keeps the method name and length', () => {
      expect(OrdersService.prototype.total.name).toBe('total');
      expect(OrdersService.prototype.total.length).toBe(2);
      expect(OrdersService.prototype.lazyQuery.name).toBe('lazyQuery');
      expect(OrdersService.prototype.lazyQuery.length).toBe(1);
      expect(InventoryService.prototype.reserve.name).toBe('reserve');
    });

    it('times a Promise-returning method until the Promise settles', async () => {
      const orders = (await start()).get(OrdersService);
      await orders.slow();
      const [wall] = named(await recorded(), 'app.OrdersService.slow');
      expect(wall?.tags.outcome).toBe('success');
      expect(wall?.values[0]).toBeGreaterThanOrEqual(45);
    });

    it('charges a Promise-returning method with its CPU, not its waiting time', async () => {
      const orders = (await start({ cpu: 'attributed' })).get(OrdersService);
      await orders.slow();
      const [cpu] = named(await recorded(), 'app.OrdersService.slow.cpu');
      expect(cpu?.values[0]).toBeLessThan(10);
    });

    it('rethrows the very error a sync method threw, tagged outcome:error', async () => {
      const orders = (await start()).get(OrdersService);
      const failure = new OrderRejected('no stock');
      let caught: unknown;
      try {
        orders.reject(failure);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(failure);
      const metrics = await recorded();
      expect(metrics.map(({ name, tags }) => [name, tags.outcome])).toEqual([
        ['app.OrdersService.reject', 'error'],
        ['app.OrdersService.reject.cpu', 'error'],
      ]);
    });

    it('rejects with the very error of a rejected Promise, tagged outcome:error', async () => {
      const orders = (await start()).get(OrdersService);
      const failure = new OrderRejected('later');
      await expect(orders.rejectLater(failure)).rejects.toBe(failure);
      const metrics = await recorded();
      expect(metrics.map(({ name, tags }) => [name, tags.outcome])).toEqual([
        ['app.OrdersService.rejectLater', 'error'],
        ['app.OrdersService.rejectLater.cpu', 'error'],
      ]);
    });

    it('returns a lazy thenable as it is, without executing it', async () => {
      const orders = (await start()).get(OrdersService);
      const executed: string[] = [];
      const thenable: PromiseLike<string> = {
        then(onFulfilled, onRejected) {
          executed.push('executed');
          return Promise.resolve('rows').then(onFulfilled, onRejected);
        },
      };
      expect(orders.lazyQuery(thenable)).toBe(thenable);
      await recorded();
      expect(executed).toEqual([]);
    });

    it('records nothing for an Observable before it is subscribed', async () => {
      const orders = (await start()).get(OrdersService);
      const stream = orders.stream();
      expect(named(await recorded(), 'app.OrdersService.stream')).toEqual([]);
      expect(orders.calls).toEqual(['stream called']);
      await lastValueFrom(stream);
    });

    it('times an Observable from subscribe to complete', async () => {
      const orders = (await start()).get(OrdersService);
      const stream = orders.stream();
      await sleep(100); // a delay between the call and the subscription, which is not counted
      await expect(lastValueFrom(stream)).resolves.toBe(10);
      const [wall] = named(await recorded(), 'app.OrdersService.stream');
      expect(wall?.tags.outcome).toBe('success');
      expect(wall?.values[0]).toBeGreaterThanOrEqual(25);
      expect(wall?.values[0]).toBeLessThan(100);
    });

    it('tags an Observable that errors outcome:error and passes the same error on', async () => {
      const orders = (await start()).get(OrdersService);
      const failure = new OrderRejected('stream failed');
      await expect(lastValueFrom(orders.failingStream(failure))).rejects.toBe(failure);
      const metrics = await recorded();
      expect(metrics.map(({ name, tags }) => [name, tags.outcome])).toEqual([
        ['app.OrdersService.failingStream', 'error'],
        ['app.OrdersService.failingStream.cpu', 'error'],
      ]);
    });

    it('uses the given name and tags, before the outcome', async () => {
      const orders = (await start()).get(OrdersService);
      expect(orders.checkout()).toBe('checked out');
      const metrics = await recorded();
      expect(metrics.map(({ name, tags }) => ({ name, tags }))).toEqual([
        { name: 'app.orders.checkout', tags: { env: 'test', channel: 'web', outcome: 'success' } },
        {
          name: 'app.orders.checkout.cpu',
          tags: { env: 'test', channel: 'web', outcome: 'success' },
        },
      ]);
    });

    it('records no .cpu line with cpu: false', async () => {
      const orders = (await start({ cpu: false })).get(OrdersService);
      orders.total(1, 2);
      await orders.slow();
      const metrics = await recorded();
      expect(metrics.map(({ name }) => name).sort()).toEqual([
        'app.OrdersService.slow',
        'app.OrdersService.total',
      ]);
    });
  });

  describe('on a class', () => {
    it('measures every method, sync and async, and leaves getters alone', async () => {
      const inventory = (await start({ providers: [InventoryService] })).get(InventoryService);
      expect(inventory.reserve()).toBe(2);
      await expect(inventory.release()).resolves.toBe(4);
      expect(inventory.label).toBe('inventory');
      const metrics = await recorded();
      expect(metrics.map(({ name, tags }) => [name, tags.outcome]).sort()).toEqual([
        ['app.InventoryService.release', 'success'],
        ['app.InventoryService.release.cpu', 'success'],
        ['app.InventoryService.reserve', 'success'],
        ['app.InventoryService.reserve.cpu', 'success'],
      ]);
    });

    it('uses the given name as the prefix of every method, with the tags', async () => {
      const pricing = (await start({ providers: [PricingService] })).get(PricingService);
      pricing.quote();
      const metrics = await recorded();
      expect(metrics.map(({ name, tags }) => ({ name, tags }))).toEqual([
        { name: 'app.pricing.quote', tags: { env: 'test', tier: 'gold', outcome: 'success' } },
        { name: 'app.pricing.quote.cpu', tags: { env: 'test', tier: 'gold', outcome: 'success' } },
      ]);
    });
  });

  describe('keeps the metadata of other decorators', () => {
    it.each(['measured-first', 'measured-last'])(
      'lets a roles guard read the roles of /admin/%s (admin passes)',
      async (route) => {
        await start({ controllers: [AdminController], providers: [RolesGuard] });
        await request(app!.getHttpServer())
          .get(`/admin/${route}`)
          .set('x-role', 'admin')
          .expect(200);
        const handler = route === 'measured-first' ? 'measuredFirst' : 'measuredLast';
        expect(named(await recorded(), `app.AdminController.${handler}`)).toHaveLength(1);
      },
    );

    it.each(['measured-first', 'measured-last'])(
      'lets a roles guard read the roles of /admin/%s (a plain user is refused)',
      async (route) => {
        await start({ controllers: [AdminController], providers: [RolesGuard] });
        await request(app!.getHttpServer())
          .get(`/admin/${route}`)
          .set('x-role', 'user')
          .expect(403);
      },
    );

    it('keeps the Swagger operation in both decorator orders', async () => {
      await start({ controllers: [AdminController], providers: [RolesGuard] });
      const document = SwaggerModule.createDocument(app!, new DocumentBuilder().build());
      expect(document.paths['/admin/measured-first']?.get?.summary).toBe('Measured first');
      expect(document.paths['/admin/measured-last']?.get?.summary).toBe('Measured last');
    });

    it('keeps the design-time parameter types Nest relies on', () => {
      expect(Reflect.getMetadata('design:paramtypes', OrdersService.prototype, 'total')).toEqual([
        Number,
        Number,
      ]);
    });

    it('keeps @OnEvent listeners subscribed and measured in both decorator orders', async () => {
      await start({ imports: [EventEmitterModule.forRoot()], providers: [OrderListeners] });
      const listeners = app!.get(OrderListeners);
      app!.get(EventEmitter2).emit('order.created', { id: 7 });
      expect(listeners.received).toEqual([
        ['measured first', { id: 7 }],
        ['measured last', { id: 7 }],
      ]);
      const names = (await recorded()).map(({ name }) => name).sort();
      expect(names).toEqual([
        'app.OrderListeners.onCreatedMeasuredFirst',
        'app.OrderListeners.onCreatedMeasuredFirst.cpu',
        'app.OrderListeners.onCreatedMeasuredLast',
        'app.OrderListeners.onCreatedMeasuredLast.cpu',
      ]);
    });
  });

  describe('on a request-scoped provider', () => {
    it('measures the method of each per-request instance called from a controller', async () => {
      await start({ controllers: [ScopedController], providers: [RequestScopedWorker] });
      const server = app!.getHttpServer();
      const first = await request(server).get('/scoped').expect(200);
      const second = await request(server).get('/scoped').expect(200);
      expect(second.body.id).not.toBe(first.body.id);
      const [wall] = named(await recorded(), 'app.RequestScopedWorker.work');
      expect(wall?.tags).toEqual({ env: 'test', outcome: 'success' });
      expect(wall?.values).toHaveLength(2);
    });
  });
});
