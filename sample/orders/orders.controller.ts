import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import type { Order } from './checkout.model';
import { parseCheckout } from './checkout.model';
import { OrdersService } from './orders.service';

/** A slow read and a checkout that sometimes fails with an unhandled error. */
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':id')
  findOne(@Param('id', ParseIntPipe) id: number): Promise<Order> {
    return this.orders.findOne(id);
  }

  @Post('checkout')
  checkout(@Body() body: unknown): Promise<Order> {
    return this.orders.checkout(parseCheckout(body));
  }
}
