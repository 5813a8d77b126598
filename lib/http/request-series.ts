import type { Series } from '../wire/series';

/** The wall and CPU series one kind of request (handler, route, method, status, error) records into. */
export interface RequestSeries {
  readonly wall: Series | undefined;
  readonly cpu: Series | undefined;
}
