import type { StatsdTarget } from './env.config';

/** What the sample is doing now, shown above the table. */
export interface SampleStatus {
  target?: StatsdTarget;
  appUrl?: string;
  demo: string;
}

/** The lines above the table: where things are, what the demo did, what to try. */
export function bannerLines(status: SampleStatus): string[] {
  const app = status.appUrl ? `${status.appUrl}/api/users` : 'starting…';
  const sink = status.target
    ? `${status.target.external ? 'agent' : 'embedded sink'} udp://${status.target.host}:${status.target.port} (${status.target.flavor})`
    : 'starting…';
  return [
    `nestjs-statsd sample · app ${app} · metrics → ${sink}`,
    status.demo,
    status.appUrl
      ? `try: curl '${status.appUrl}/api/reports/cpu?ms=50' · STATSD_HOST/STATSD_PORT send to a real agent · Ctrl-C to stop`
      : '',
  ];
}
