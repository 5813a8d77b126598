import type { INestApplication } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import request from 'supertest';
import { StatsdInterceptor, type StatsdModuleOptions } from '../../lib';
import { useAppUnderTest } from '../fixtures/app-under-test';
import {
  contextSinkOptions,
  expectOnePair,
  metricsIn,
  tagSetsOf,
  typesOf,
  valuesOf,
  waitForValues,
} from '../fixtures/context-metrics';
import { createGraphqlApp, type GraphqlAppSpec } from '../fixtures/graphql-app';
import { parseDogStatsdLine } from '../utils/statsd-line-parser';

const GQL = 'app.graphql.request';
const GQL_CPU = 'app.graphql.request.cpu';

describe.each(['express', 'fastify'] as const)(
  'GraphQL operation metrics (Apollo driver on %s, code-first, StatsdGraphqlPlugin)',
  (adapter) => {
    const run = useAppUnderTest<INestApplication>();
    let intercept: jest.SpyInstance | undefined;

    async function start(
      options: Partial<StatsdModuleOptions> = {},
      spec: Partial<GraphqlAppSpec> = {},
    ): Promise<void> {
      run.app = await createGraphqlApp({
        adapter,
        ...spec,
        statsd: { ...contextSinkOptions(run.sink), ...options },
      });
    }

    async function post(body: {
      query: string;
      operationName?: string;
      variables?: Record<string, unknown>;
    }) {
      return request(run.app!.getHttpServer()).post('/graphql').send(body).expect(200);
    }

    afterEach(() => {
      intercept?.mockRestore();
      intercept = undefined;
    });

    it('sends one graphql.request pair per operation, not one per field resolver', async () => {
      await start();

      const response = await post({ query: 'query ListUsers { users { name posts { title } } }' });
      expect(response.body.data.users).toHaveLength(3);
      const lines = await run.stopAndCollect();

      const tags = {
        env: 'test',
        operation_type: 'query',
        operation_name: 'ListUsers',
        outcome: 'success',
      };
      expectOnePair(lines, GQL, tags);
      // The HTTP request that carried it, named by the route Apollo's integration registered.
      expect(tagSetsOf(lines, 'app.http.request')).toEqual([
        expect.objectContaining({ route: '/graphql', method: 'POST', status: '200' }),
      ]);
      expect(valuesOf(lines, 'app.http.request')).toHaveLength(1);
    });

    it('sends graphql.request as distributions with metricTypes.graphql, the HTTP request as a timing', async () => {
      await start({ metricTypes: { graphql: 'distribution' } });

      await post({ query: 'query ListUsers { users { name } }' });
      const lines = await run.stopAndCollect();

      expect(typesOf(lines, GQL)).toEqual(['d']);
      expect(typesOf(lines, GQL_CPU)).toEqual(['d']);
      expect(typesOf(lines, 'app.http.request')).toEqual(['ms']);
    });

    it("tags the HTTP request with the endpoint's path in one spelling, never the client's", async () => {
      await start();

      const response = await request(run.app!.getHttpServer())
        .post('/GraphQL')
        .send({ query: '{ users { id } }' });
      expect(response.status).toBe(adapter === 'express' ? 200 : 404);
      const lines = await run.stopAndCollect();

      // Express matches mount paths regardless of case; Fastify's routes are case-sensitive.
      expect(tagSetsOf(lines, 'app.http.request')).toEqual([
        expect.objectContaining({ route: adapter === 'express' ? '/graphql' : 'unmatched' }),
      ]);
    });

    it('tags an anonymous operation operation_name:anonymous, never with the query text', async () => {
      await start();

      await post({ query: '{ users { name } }' });
      const lines = await waitForValues(run.sink, GQL);

      expect(tagSetsOf(lines, GQL)).toEqual([
        { env: 'test', operation_type: 'query', operation_name: 'anonymous', outcome: 'success' },
      ]);
      expect(lines.join('\n')).not.toContain('users');
    });

    it('tags a mutation operation_type:mutation', async () => {
      await start();

      const response = await post({
        query: 'mutation Rename($id: ID!) { rename(id: $id, name: "Bob") { name } }',
        variables: { id: '2' },
      });
      expect(response.body.data.rename.name).toBe('Bob');
      const lines = await waitForValues(run.sink, GQL);

      expect(tagSetsOf(lines, GQL)).toEqual([
        expect.objectContaining({
          operation_type: 'mutation',
          operation_name: 'Rename',
          outcome: 'success',
        }),
      ]);
    });

    it('names the operation chosen by operationName in a document with several', async () => {
      await start();

      await post({
        query: 'query A { users { id } } query B { user(id: "2") { name } }',
        operationName: 'B',
      });
      const lines = await waitForValues(run.sink, GQL);

      expect(tagSetsOf(lines, GQL)).toEqual([expect.objectContaining({ operation_name: 'B' })]);
    });

    it('tags an operation whose resolver throws outcome:error', async () => {
      await start();

      const response = await post({ query: 'query Broken { broken }' });
      expect(response.body.errors).toHaveLength(1);
      const lines = await waitForValues(run.sink, GQL);

      expect(tagSetsOf(lines, GQL)).toEqual([
        expect.objectContaining({
          operation_type: 'query',
          operation_name: 'Broken',
          outcome: 'error',
        }),
      ]);
    });

    it('tags a document that does not parse unknown, outcome:error', async () => {
      await start();

      await request(run.app!.getHttpServer())
        .post('/graphql')
        .send({ query: 'query Oops { users { ' })
        .expect(400);
      const lines = await waitForValues(run.sink, GQL);

      expect(tagSetsOf(lines, GQL)).toEqual([
        { env: 'test', operation_type: 'unknown', operation_name: 'unknown', outcome: 'error' },
      ]);
    });

    it('records nothing per field with a global StatsdInterceptor and fieldResolverEnhancers: interceptors', async () => {
      intercept = jest.spyOn(StatsdInterceptor.prototype, 'intercept');
      await start(
        {},
        {
          fieldResolverEnhancers: ['interceptors'],
          providers: [{ provide: APP_INTERCEPTOR, useExisting: StatsdInterceptor }],
        },
      );

      await post({ query: 'query ListUsers { users { name posts { title } } }' });
      const lines = await run.stopAndCollect();

      // The interceptor did run for the query and for each of the three `posts` fields...
      expect(
        intercept.mock.calls.filter(([context]) => context.getType() === 'graphql').length,
      ).toBeGreaterThanOrEqual(4);
      // ...and recorded nothing: the plugin's pair is the only GraphQL metric.
      expect(valuesOf(lines, GQL)).toHaveLength(1);
      expect(valuesOf(lines, GQL_CPU)).toHaveLength(1);
      expect(
        metricsIn(lines)
          .map((metric) => metric.name)
          .sort(),
      ).toEqual([GQL, GQL_CPU, 'app.http.request', 'app.http.request.cpu']);
    });

    it('keeps resolver methods measurable with @Measure()', async () => {
      await start();

      const response = await post({ query: 'query One { user(id: "3") { name } }' });
      expect(response.body.data.user.name).toBe('Linus');
      const lines = await waitForValues(run.sink, 'app.UsersResolver.user');

      expect(tagSetsOf(lines, 'app.UsersResolver.user')).toEqual([
        { env: 'test', outcome: 'success' },
      ]);
    });

    it('attributes the CPU the resolvers burn to the operation with cpu: attributed', async () => {
      await start({ cpu: 'attributed' });

      await post({ query: 'query Burn { burn(ms: 40) }' });
      const lines = await waitForValues(run.sink, GQL);

      const [wall] = valuesOf(lines, GQL);
      const [cpu] = valuesOf(lines, GQL_CPU);
      expect(cpu).toBeGreaterThanOrEqual(30);
      expect(cpu).toBeLessThanOrEqual(wall! + 1);
    });

    it('charges each of concurrent operations its own CPU with the default options', async () => {
      await start();
      const burners = Array.from({ length: 10 }, () =>
        post({ query: 'query Burn { burnInSlices(slices: 10, sliceMs: 2) }' }),
      );
      const waiters = Array.from({ length: 10 }, () =>
        post({ query: 'query Idle { idle(ms: 30) }' }),
      );
      const burned = (await Promise.all(burners)).map(
        (response) => (response.body as { data: { burnInSlices: number } }).data.burnInSlices,
      );
      await Promise.all(waiters);
      const lines = await run.stopAndCollect();

      const cpuOf = (name: string) =>
        lines
          .map(parseDogStatsdLine)
          .filter((metric) => metric.name === GQL_CPU && metric.tags.operation_name === name)
          .flatMap((metric) => metric.values as number[]);
      const median = (values: number[]) =>
        [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const [burnCpu, idleCpu] = [cpuOf('Burn'), cpuOf('Idle')];
      const report = `burned ${burned.map((ms) => ms.toFixed(1))}; Burn .cpu ${burnCpu.map((ms) => ms.toFixed(2))}; Idle .cpu ${idleCpu.map((ms) => ms.toFixed(2))}`;
      expect([burnCpu.length, idleCpu.length, report]).toEqual([10, 10, report]);
      // Within ±25 % of what each burned; waiting ones under a tenth of the burn (2 ms), where
      // process-wide readings would give them a share of the 200 ms the others burned.
      expect([Math.abs(median(burnCpu) / median(burned) - 1) <= 0.25, report]).toEqual([
        true,
        report,
      ]);
      expect([median(idleCpu) < 2, report]).toEqual([true, report]);
    });

    it('sends no .cpu with attributed CPU when HTTP metrics are off (no request account to read)', async () => {
      await start({ cpu: 'attributed', http: { enabled: false } });

      await post({ query: 'query ListUsers { users { name } }' });
      const lines = await run.stopAndCollect();

      expect(valuesOf(lines, GQL)).toHaveLength(1);
      expect(valuesOf(lines, GQL_CPU)).toEqual([]);
    });
  },
);
