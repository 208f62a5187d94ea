import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT, SUBGRAPHS, type SubgraphName } from '../shared/src/config';
import { SERVICE_NODE_FLAGS } from '../shared/src/process';

// No Docker engine runs where the tests run, so the file a platform team starts is checked as written.
const compose = parse(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; ports?: string[]; environment?: Record<string, string>; healthcheck?: unknown; depends_on?: Record<string, unknown>; volumes?: string[] }>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
};
const subgraphs = Object.keys(SUBGRAPHS) as SubgraphName[];
const services = compose.services;

describe('docker-compose.yml', () => {
  it('runs PostgreSQL with a volume, the migrations, every subgraph and the gateway', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'migrate', 'postgres', ...subgraphs].sort());
    expect(services.postgres.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(compose.volumes).toHaveProperty('pgdata');
  });

  it('publishes the gateway’s port and nothing else', () => {
    const published = Object.entries(services).filter(([, service]) => service.ports).map(([name]) => name);
    expect(published).toEqual(['gateway']);
    expect(services.gateway.ports).toEqual(['${SANJI_PORT:-4000}:4000']);
  });

  it('checks the health of every long-running service and starts each after what it needs', () => {
    for (const name of ['postgres', 'gateway', ...subgraphs]) expect(services[name].healthcheck).toBeDefined();
    for (const name of subgraphs) expect(services[name].depends_on).toHaveProperty('migrate');
    for (const name of subgraphs) expect(services.gateway.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
  });

  it('runs each service’s built entry point, which exists in the sources, with the services’ heap bounds', () => {
    for (const name of subgraphs) {
      expect(services[name].command).toEqual(['node', ...SERVICE_NODE_FLAGS, `dist/subgraphs/${name}/src/main.js`]);
      expect(existsSync(join(PROJECT_ROOT, 'subgraphs', name, 'src', 'main.ts'))).toBe(true);
    }
    expect(services.gateway.command).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/gateway/src/main.js']);
    expect(services.migrate.command).toEqual(['node', 'dist/scripts/migrate.js']);
  });

  it('gives every service what it needs, production mode, and its secrets from the environment only', () => {
    for (const name of ['gateway', ...subgraphs]) {
      const env = services[name].environment!;
      expect(env.NODE_ENV).toBe('production');
      expect(env.SANJI_HOST).toBe('0.0.0.0');
      expect(env.SANJI_INTERNAL_SECRET).toMatch(/^\$\{SANJI_INTERNAL_SECRET:\?/);
      expect(env.SANJI_JWKS_FILE).toBe('/run/secrets/jwks.json');
      expect(env.DATABASE_URL).toMatch(/\$\{POSTGRES_PASSWORD:\?/);
      for (const other of subgraphs) {
        expect(env[`SANJI_${other.toUpperCase()}_URL`]).toBe(`http://${other}:${SUBGRAPHS[other].defaultPort}/graphql`);
      }
    }
    expect(services.migrate.environment!.SANJI_INTERNAL_SECRET).toMatch(/^\$\{SANJI_INTERNAL_SECRET:\?/);
    expect(compose.secrets['jwks.json'].file).toMatch(/^\$\{SANJI_JWKS_FILE:\?/);
    // Every password or secret is taken from the environment, with no default.
    for (const service of Object.values(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET/.test(key)) expect(value).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
  });
});
