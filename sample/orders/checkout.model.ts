import { BadRequestException } from '@nestjs/common';

export const PAYMENT_METHODS = ['card', 'paypal', 'voucher'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface CheckoutInput {
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  readonly payment: PaymentMethod;
}

export interface Order {
  readonly id: number;
  readonly items: CheckoutInput['items'];
  readonly payment: PaymentMethod;
  readonly status: 'placed' | 'shipped';
}

/** Checks a POST /orders/checkout body by hand. */
export function parseCheckout(body: unknown): CheckoutInput {
  const { items, payment } = (body ?? {}) as Record<string, unknown>;
  if (!Array.isArray(items) || items.length === 0) {
    throw new BadRequestException('"items" must be a non-empty array');
  }
  for (const item of items as unknown[]) {
    const { sku, quantity } = (item ?? {}) as Record<string, unknown>;
    if (typeof sku !== 'string' || !Number.isInteger(quantity) || (quantity as number) < 1) {
      throw new BadRequestException('each item needs a "sku" and a positive integer "quantity"');
    }
  }
  if (!PAYMENT_METHODS.includes(payment as PaymentMethod)) {
    throw new BadRequestException(`"payment" must be one of ${PAYMENT_METHODS.join(', ')}`);
  }
  return { items: items as CheckoutInput['items'], payment: payment as PaymentMethod };
}
