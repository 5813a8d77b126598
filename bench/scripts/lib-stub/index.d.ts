// Types of the public API as described in docs/ARCHITECTURE.md, used only until the real build
// (../dist/cjs) exists. The real declarations replace this file at `npm run build` in bench/.
import type { DynamicModule } from '@nestjs/common';
import type { StatsD } from 'hot-shots';

export type Tags = Record<string, string | number | boolean>;

export interface StatsdModuleOptions {
  host?: string;
  port?: number;
  protocol?: 'udp' | 'tcp' | 'uds';
  path?: string;
  prefix?: string;
  globalTags?: Tags;
  flavor?: 'dogstatsd' | 'telegraf' | 'statsd';
  cpu?: 'attributed' | 'process' | false;
  flushInterval?: number;
  maxPacketSize?: number;
  mock?: boolean;
  client?: StatsD;
  http?: {
    enabled?: boolean;
    metricName?: string;
    exclude?: string[];
    tags?: (req: unknown) => Tags;
  };
  isGlobal?: boolean;
}

export declare class StatsdModule {
  static forRoot(options?: StatsdModuleOptions): DynamicModule;
}

export declare class StatsdService {
  readonly client: StatsD;
  increment(name: string, value?: number, tags?: Tags): void;
  decrement(name: string, value?: number, tags?: Tags): void;
  gauge(name: string, value: number, tags?: Tags): void;
  timing(name: string, value: number, tags?: Tags): void;
  histogram(name: string, value: number, tags?: Tags): void;
  distribution(name: string, value: number, tags?: Tags): void;
  set(name: string, value: string | number, tags?: Tags): void;
  measure<T>(name: string, fn: () => T, tags?: Tags): T;
  startTimer(name: string, tags?: Tags): (extraTags?: Tags) => number;
  child(options: { prefix?: string; tags?: Tags }): StatsdService;
  flush(): Promise<void>;
}

export declare class StatsdInterceptor {}
export declare function Measure(name?: string, tags?: Tags): MethodDecorator;
export declare function SkipMetrics(): MethodDecorator & ClassDecorator;
