/**
 * Debian's nginx as the load balancer in front of several carport nodes, run in the foreground with
 * its own configuration and files under a temporary directory (`NGINX_PATH`, else /usr/sbin/nginx).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface Nginx {
  url: string;
  /** The end of nginx's error log, to explain a failure. */
  errors(): string;
  close(): Promise<void>;
}

/**
 * Balances `127.0.0.1:<port>` over the upstream ports, retrying an idempotent request on the next
 * node when one refuses the connection or times out. `keepalive` keeps that many idle connections
 * to the nodes (HTTP/1.1), as a production setup would.
 */
export async function startNginx(port: number, upstreams: readonly number[], options: { keepalive?: number } = {}): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'carport-nginx-'));
  const keepalive = options.keepalive ?? 0;
  writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream carport {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')}
${keepalive > 0 ? `    keepalive ${keepalive};` : ''}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://carport;
      proxy_next_upstream error timeout;
${keepalive > 0 ? '      proxy_http_version 1.1;\n      proxy_set_header Connection "";' : ''}
    }
  }
}
`);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000) : '');
  const url = `http://127.0.0.1:${port}`;
  for (const end = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 50))) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors()}`);
    if ((await fetch(`${url}/healthz`).catch(() => null))?.status === 200) break;
    if (Date.now() > end) throw new Error(`nginx did not answer: ${errors()}`);
  }
  return {
    url,
    errors,
    async close() {
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
