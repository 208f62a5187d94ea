import { dropDatabase } from '../../scripts/lib/postgres';

export default async function globalTeardown(): Promise<void> {
  const run = globalThis.sanjiTestRun;
  if (!run) return;
  await dropDatabase(run.adminUrl, run.template);
  await run.embedded?.stop();
}
