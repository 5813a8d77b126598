import { Injectable, NotFoundException } from '@nestjs/common';
import { Measure, StatsdService } from '../../lib';
import { sleepBetween } from '../common/sleep';
import type { CheckoutInput, Order } from './checkout.model';

/** Orders backed by a pretend database and a pretend payment provider. */
@Injectable()
export class OrdersService {
  private readonly orders = new Map<number, Order>();
  private nextId = 1000;

  constructor(private readonly statsd: StatsdService) {}

  /** A slow lookup (50–150 ms): `sample.OrdersService.findOne` shows where request time goes. */
  @Measure()
  async findOne(id: number): Promise<Order> {
    await sleepBetween(50, 150);
    const order = this.orders.get(id) ?? this.pretendStored(id);
    if (!order) throw new NotFoundException(`order ${id} not found`);
    return order;
  }

  /**
   * Places an order: emits `sample.orders.checkout` (+ `.cpu`, `outcome` tag), and times the
   * payment call with `statsd.measure`. The voucher provider is "down": a plain Error, hence a 500.
   */
  @Measure('orders.checkout')
  async checkout(input: CheckoutInput): Promise<Order> {
    await this.statsd.measure('payments.charge', () => this.charge(input), {
      provider: input.payment,
    });
    const order: Order = {
      id: this.nextId++,
      items: input.items,
      payment: input.payment,
      status: 'placed',
    };
    this.orders.set(order.id, order);
    this.statsd.increment('orders.placed', 1, { payment: input.payment });
    return order;
  }

  private async charge(input: CheckoutInput): Promise<void> {
    await sleepBetween(5, 25);
    if (input.payment === 'voucher') throw new Error('voucher service unavailable');
  }

  /** Ids 1–999 exist in the pretend database; anything else is unknown. */
  private pretendStored(id: number): Order | undefined {
    if (id < 1 || id > 999) return undefined;
    return {
      id,
      items: [{ sku: `SKU-${id % 17}`, quantity: 1 + (id % 3) }],
      payment: 'card',
      status: 'shipped',
    };
  }
}
