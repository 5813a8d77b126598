import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { CpuFigure } from '../cpu/cpu-clock';
import type { StatsdRuntime } from '../runtime/statsd-runtime';
import { STATSD_RUNTIME } from '../statsd.constants';
import { startCpuReading, type CpuReading } from './enclosing-cpu';
import { GraphqlOperationRecorder } from './graphql-operation-recorder';
import { nameGraphqlHttpRoute } from './graphql-route';
import type {
  GraphqlOperationContext,
  GraphqlRequestListener,
  GraphqlServerPlugin,
} from './graphql-plugin.types';

/** `operation_name` of an operation declared without a name. */
export const ANONYMOUS_OPERATION = 'anonymous';
/** `operation_type` and `operation_name` of a request whose operation could not be resolved (parse or validation error). */
export const UNKNOWN_OPERATION = 'unknown';

/**
 * An Apollo Server plugin that records one `<prefix>.graphql.request` (wall) and `.cpu` per
 * GraphQL operation, whatever the number of field resolvers, tagged `operation_type`
 * (`query | mutation | subscription`), `operation_name` (`anonymous` when unnamed; the query
 * text is never used) and `outcome` (`success | error`; any error in the response, partial data
 * included, is `error`). Requests that fail to parse or validate are tagged `unknown`.
 *
 * Provided and exported by `StatsdModule`; hand it to the Apollo driver's `plugins`.
 * Subscriptions served over WebSockets (`graphql-ws`) do not pass through Apollo's request
 * pipeline and are not recorded.
 *
 * @example
 * GraphQLModule.forRootAsync<ApolloDriverConfig>({
 *   driver: ApolloDriver,
 *   inject: [StatsdGraphqlPlugin],
 *   useFactory: (statsd: StatsdGraphqlPlugin) => ({ autoSchemaFile: true, plugins: [statsd] }),
 * })
 */
@Injectable()
export class StatsdGraphqlPlugin implements GraphqlServerPlugin {
  private readonly recorder: GraphqlOperationRecorder;

  constructor(@Inject(STATSD_RUNTIME) private readonly runtime: StatsdRuntime) {
    this.recorder = new GraphqlOperationRecorder(runtime);
  }

  /** Apollo hook: an operation starts; returns the listener that records it when it ends. */
  async requestDidStart(context: unknown): Promise<GraphqlRequestListener> {
    try {
      nameGraphqlHttpRoute(context);
    } catch (error) {
      this.runtime.reportInstrumentationError('graphql', error);
    }
    return new OperationListener(this, performance.now(), startCpuReading(this.runtime.cpu));
  }

  /** Records an operation; never throws into Apollo. */
  recordOperation(
    context: GraphqlOperationContext,
    wallMs: number,
    cpu: CpuFigure | undefined,
  ): void {
    try {
      const operation = context.operation;
      const type = operation ? operation.operation : UNKNOWN_OPERATION;
      const name = operation ? context.operationName || ANONYMOUS_OPERATION : UNKNOWN_OPERATION;
      const outcome =
        context.errors !== undefined && context.errors.length > 0 ? 'error' : 'success';
      this.recorder.record(type, name, outcome, wallMs, cpu);
    } catch (error) {
      this.runtime.reportInstrumentationError('graphql', error);
    }
  }
}

/** Apollo requires a listener object per request; this one holds only the start readings. */
class OperationListener implements GraphqlRequestListener {
  constructor(
    private readonly plugin: StatsdGraphqlPlugin,
    private readonly startedAt: number,
    private readonly cpu: CpuReading | undefined,
  ) {}

  async willSendResponse(context: GraphqlOperationContext): Promise<void> {
    this.plugin.recordOperation(context, performance.now() - this.startedAt, this.cpu?.read());
  }
}
