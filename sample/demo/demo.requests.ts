import { SAMPLE_API_KEY } from '../admin/api-key.guard';

/** One kind of request the demo sends, `times` times. */
export interface DemoRequest {
  readonly method: 'GET' | 'POST';
  /** Path under the server root, with the `/api` prefix. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly times: number;
}

const checkout = (payment: string): unknown => ({
  items: [
    { sku: 'SKU-1', quantity: 2 },
    { sku: 'SKU-7', quantity: 1 },
  ],
  payment,
});

/** A few hundred requests touching every route, with the failures a real app sees. */
export const DEMO_REQUESTS: readonly DemoRequest[] = [
  { method: 'GET', path: '/api/users', times: 40 },
  ...[1, 2, 3, 4, 5].map((id): DemoRequest => ({
    method: 'GET',
    path: `/api/users/${id}`,
    times: 10,
  })),
  { method: 'GET', path: '/api/users/404', times: 12 }, // 404 NotFoundException
  { method: 'GET', path: '/api/users/abc', times: 8 }, // 400 from ParseIntPipe
  {
    method: 'POST',
    path: '/api/users',
    body: { name: 'Barbara', email: 'barbara@example.com' },
    times: 15,
  },
  { method: 'POST', path: '/api/users', body: { name: '' }, times: 5 }, // 400
  { method: 'GET', path: '/api/orders/42', times: 25 }, // slow: 50–150 ms
  { method: 'GET', path: '/api/orders/5000', times: 5 }, // 404 after the slow lookup
  { method: 'POST', path: '/api/orders/checkout', body: checkout('card'), times: 20 },
  { method: 'POST', path: '/api/orders/checkout', body: checkout('paypal'), times: 10 },
  { method: 'POST', path: '/api/orders/checkout', body: checkout('voucher'), times: 8 }, // 500
  { method: 'GET', path: '/api/reports/cpu?ms=20', times: 15 },
  { method: 'GET', path: '/api/reports/cpu?ms=5', times: 15 },
  { method: 'GET', path: '/api/reports/export.csv', times: 10 }, // StreamableFile, ~100 ms
  { method: 'GET', path: '/api/reports/live', times: 6 }, // SSE, ~100 ms
  { method: 'GET', path: '/api/admin/stats', times: 10 }, // 403 from the guard
  { method: 'GET', path: '/api/admin/stats', headers: { 'x-api-key': SAMPLE_API_KEY }, times: 10 },
  { method: 'GET', path: '/api/health', times: 10 }, // @SkipMetrics(): never in the table
  { method: 'GET', path: '/api/no-such-route', times: 5 }, // 404 before any controller
];
