import { get, type Agent } from 'node:http';

/** `GET path` on 127.0.0.1 through `agent`: the body of a 200; any other status rejects. */
export function getBody(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode} ${body}`));
        else resolve(body);
      });
    });
    req.on('error', reject);
  });
}
