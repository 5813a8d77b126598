import { Controller, Get, Injectable, Param } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';

/** `hello`: the smallest useful route, so the framework's and the instrumentation's cost dominate. */
@Controller('hello')
export class HelloController {
  @Get(':id')
  hello(@Param('id') id: string): { hello: string; id: string } {
    return { hello: 'world', id };
  }
}

export interface Order {
  id: string;
  status: string;
  customer: { id: string; name: string; email: string; tier: string };
  items: { sku: string; name: string; quantity: number; unitPrice: number }[];
  totals: { subtotal: number; tax: number; shipping: number; total: number; currency: string };
  createdAt: string;
}

const CUSTOMER = { id: 'c-1042', name: 'Ada Lovelace', email: 'ada@example.com', tier: 'gold' };
const ITEMS = [
  { sku: 'SKU-0001', name: 'Analytical engine gear', quantity: 2, unitPrice: 19.99 },
  { sku: 'SKU-0002', name: 'Punched card deck', quantity: 1, unitPrice: 4.5 },
  { sku: 'SKU-0003', name: 'Brass crank handle', quantity: 3, unitPrice: 12.25 },
];

/** Stands in for a repository and a pricing call: a few awaits and ~1 ms of simulated I/O. */
@Injectable()
export class OrdersService {
  async find(id: string): Promise<Order> {
    const [customer, items] = await Promise.all([this.customer(), this.items()]);
    const totals = await this.price(items);
    return {
      id,
      status: 'shipped',
      customer,
      items,
      totals,
      createdAt: '2025-01-15T10:30:00.000Z',
    };
  }

  private async customer(): Promise<Order['customer']> {
    await delay(1);
    return { ...CUSTOMER };
  }

  private async items(): Promise<Order['items']> {
    await Promise.resolve();
    return ITEMS.map((i) => ({ ...i }));
  }

  private async price(items: Order['items']): Promise<Order['totals']> {
    await Promise.resolve();
    const subtotal = items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
    const tax = Math.round(subtotal * 0.2 * 100) / 100;
    return {
      subtotal,
      tax,
      shipping: 5,
      total: Math.round((subtotal + tax + 5) * 100) / 100,
      currency: 'EUR',
    };
  }
}

/** `realistic`: an async handler with a service, awaits, simulated I/O and a ~500-byte JSON body. */
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':id')
  async get(@Param('id') id: string): Promise<Order> {
    return this.orders.find(id);
  }
}

/** A request that stays open for `:ms` (with `hello`, the `hello-long` handler of `long-unit.ts`). */
@Controller('long')
export class LongController {
  @Get(':ms')
  async wait(@Param('ms') ms: string): Promise<string> {
    await delay(Number(ms));
    return 'done';
  }
}

/**
 * `slow`: an I/O-bound request, 200 ms of waiting in five steps, as a service that mostly waits on
 * its database: under load hundreds are in flight, so a measured one keeps the hooks on for 200 ms.
 */
@Controller('slow')
export class SlowController {
  @Get(':id')
  async slow(@Param('id') id: string): Promise<{ hello: string; id: string }> {
    for (let step = 0; step < 5; step++) {
      await delay(40);
      await Promise.resolve();
    }
    return { hello: 'world', id };
  }
}

export type HandlerName = 'hello' | 'realistic' | 'hello-long' | 'slow';
/** The handlers the target runs measure (and run by default). */
export const HANDLERS: readonly HandlerName[] = ['hello', 'realistic'];
/** Every handler a server can serve. */
export const SERVER_HANDLERS: readonly HandlerName[] = [...HANDLERS, 'hello-long', 'slow'];

export function handlerSetup(handler: HandlerName): {
  controllers: any[];
  providers: any[];
  path: string;
} {
  if (handler === 'hello')
    return { controllers: [HelloController], providers: [], path: '/hello/42' };
  if (handler === 'hello-long')
    return { controllers: [HelloController, LongController], providers: [], path: '/hello/42' };
  if (handler === 'slow') return { controllers: [SlowController], providers: [], path: '/slow/42' };
  return { controllers: [OrdersController], providers: [OrdersService], path: '/orders/42' };
}
