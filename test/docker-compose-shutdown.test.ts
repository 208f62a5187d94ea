import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT, SUBGRAPHS, type SubgraphName } from '../shared/src/config';

// No Docker engine runs where the tests run: the stop order and grace periods are checked as written.
const compose = parse(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { depends_on?: Record<string, unknown>; stop_grace_period?: string; init?: boolean; environment?: Record<string, string> }>;
};
const services = compose.services;
const subgraphs = Object.keys(SUBGRAPHS) as SubgraphName[];
const seconds = (period: string | undefined) => Number(/^(\d+)s$/.exec(period ?? '')?.[1] ?? NaN);

describe('docker-compose.yml stops Sanji in order', () => {
  it('stops the gateway before the subgraphs, and the subgraphs before PostgreSQL', () => {
    // Compose stops a service before what it depends on.
    for (const name of subgraphs) expect(services.gateway.depends_on).toHaveProperty(name);
    for (const name of subgraphs) expect(services[name].depends_on).toHaveProperty('postgres');
  });

  it('gives each service more time than its drain before killing it, through an init that passes the signal on', () => {
    for (const name of ['gateway', ...subgraphs]) {
      const drainSeconds = Number(/:-(\d+)\}$/.exec(services[name].environment!.SANJI_DRAIN_MS)![1]) / 1000;
      expect(seconds(services[name].stop_grace_period)).toBeGreaterThan(drainSeconds);
      expect(services[name].init).toBe(true);
    }
    expect(seconds(services.postgres.stop_grace_period)).toBeGreaterThanOrEqual(30);
  });
});
