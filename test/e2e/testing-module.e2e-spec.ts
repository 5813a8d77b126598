import { Controller, Get, Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Measure, StatsdService } from '../../lib';
import { StatsdRecorder, StatsdTestingModule } from '../../lib/testing';

@Injectable()
class CheckoutService {
  constructor(private readonly statsd: StatsdService) {}

  @Measure('orders.checkout', { tags: { channel: 'web' } })
  async checkout(items: number): Promise<number> {
    this.statsd.increment('orders.items', items);
    await Promise.resolve();
    return items * 10;
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly checkout: CheckoutService) {}

  @Get(':id')
  async order(): Promise<{ total: number }> {
    return { total: await this.checkout.checkout(2) };
  }
}

describe('StatsdTestingModule', () => {
  let app: INestApplication;
  let recorder: StatsdRecorder;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [StatsdTestingModule.forRoot({ prefix: 'app', globalTags: { env: 'test' } })],
      controllers: [OrdersController],
      providers: [CheckoutService],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    recorder = app.get(StatsdRecorder);
  });

  afterEach(async () => {
    await app.close();
  });

  it('records a service method and its counters without any network', async () => {
    await expect(app.get(CheckoutService).checkout(3)).resolves.toBe(30);

    expect(recorder.count('orders.checkout', { outcome: 'success', channel: 'web' })).toBe(1);
    expect(recorder.count('orders.checkout.cpu')).toBe(1);
    expect(recorder.values('orders.items')).toEqual([3]);
    expect(recorder.find('app.orders.items')[0]?.tags).toEqual({ env: 'test' });
  });

  it('records the request metrics of a controller once the response is recorded', async () => {
    await request(app.getHttpServer()).get('/orders/7').expect(200);
    await recorder.settled();

    const [metric, ...others] = recorder.find('http.request');
    expect(others).toHaveLength(0);
    expect(metric?.tags).toEqual({
      env: 'test',
      controller: 'OrdersController',
      handler: 'order',
      route: '/orders/:id',
      method: 'GET',
      status: '200',
      status_class: '2xx',
    });
    expect(recorder.count('orders.checkout')).toBe(1);
  });

  it('forgets what was recorded on clear', async () => {
    app.get(StatsdService).increment('before');
    recorder.clear();
    app.get(StatsdService).increment('after');

    expect(recorder.count('before')).toBe(0);
    expect(recorder.count('after')).toBe(1);
  });
});
