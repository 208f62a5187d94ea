import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { startStack, type Stack } from './helpers/stack';
import { expectNoErrors } from './helpers/expectations';

/**
 * Sanji runs on a provincial intranet: its services talk to each other, to PostgreSQL and to
 * nobody else. Every TCP connection a service in this process opens while the stack starts and
 * answers is recorded, with every process warning.
 */
describe('a running Sanji calls no one outside', () => {
  let stack: Stack;
  /** Where each socket went: its peer once connected, the address looked up or refused otherwise. */
  const destinations: string[] = [];
  const warnings: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    const index = destinations.push('pending') - 1;
    socket.once('lookup', (_err: Error | null, address: string) => (destinations[index] = address ?? 'unresolved'));
    socket.once('connect', () => (destinations[index] = socket.remoteAddress ?? 'unknown'));
    socket.once('error', (err: Error & { address?: string }) => (destinations[index] = err.address ?? destinations[index]));
  };
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);

  beforeAll(async () => {
    subscribe('net.client.socket', onSocket);
    process.on('warning', onWarning);
    stack = await startStack();
    const province = await stack.token({ tier: 'PROVINCE', regionCode: '210000' });
    expectNoErrors(await stack.request(`{ viewer { tier } region(code: "210000") { name } }`, {}, province));
    // The vendors' metadata probes answer within a second or two where they answer at all.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });
  afterAll(async () => {
    unsubscribe('net.client.socket', onSocket);
    process.off('warning', onWarning);
    await stack?.stop();
  });

  it('opens connections to loopback addresses only', () => {
    expect(destinations.length).toBeGreaterThan(0);
    expect(destinations.filter((address) => !/^(127\.|::1$|::ffff:127\.)/.test(address))).toEqual([]);
  });

  it('leaves no warning of a cloud metadata lookup or a telemetry export', () => {
    expect(warnings.filter((warning) => /Metadata|telemetry|otlp/i.test(warning))).toEqual([]);
  });
});
