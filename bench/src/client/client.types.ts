/** One way of sending timings, as the client bench drives it. */
export interface TimingTarget {
  name: string;
  /** Name on the wire. */
  wireName: string;
  timing(value: number): void;
  /** Sends whatever is still buffered. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The five tags the HTTP variants use. */
export const TAGS = {
  controller: 'OrdersController',
  handler: 'get',
  method: 'GET',
  route: '/orders/:id',
  status: '200',
} as const;
