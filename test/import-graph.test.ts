import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../shared/src/config';

/** Every TypeScript source of the services (tests and generated files aside). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' || entry === 'generated' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** The project files a source imports, type-only imports included: a circle of types is a circle of design. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => [`${resolve(dirname(file), name)}.ts`, join(resolve(dirname(file), name), 'index.ts')].find(existsSync))
    .filter((path): path is string => path !== undefined);
}

/** The import circles among the files: each as the list of files around it. */
function circles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(path.slice(path.indexOf(next)).map((f) => relative(PROJECT_ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

/** Every project file `file` imports, directly or through others. */
function reachableFrom(file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (next: string) => {
    if (seen.has(next)) return;
    seen.add(next);
    importsOf(next).forEach(visit);
  };
  importsOf(file).forEach(visit);
  return seen;
}

describe('the import graph', () => {
  const files = ['shared', 'gateway', 'subgraphs', 'scripts'].flatMap((dir) => sources(join(PROJECT_ROOT, dir)));

  it('reads the imports it checks', () => {
    const service = files.find((file) => file.endsWith(join('members', 'src', 'services', 'MemberService.ts')))!;
    expect(importsOf(service).map((file) => relative(PROJECT_ROOT, file))).toContain(join('shared', 'src', 'viewer.ts'));
    expect(circles([service, ...importsOf(service)]).length).toBe(0);
  });

  it('has no import circles: services take the caller, not the context that holds them', () => {
    expect(circles(files)).toEqual([]);
  });

  it('keeps the gateway apart from the subgraph server: it shares the error policy, the drain and the HTTP helpers, not the server', () => {
    const server = join(PROJECT_ROOT, 'shared', 'src', 'subgraph-server.ts');
    // The server and the modules it is composed of (subgraph-http.ts, subgraph-auth.ts, …).
    const parts = [server, ...importsOf(server).filter((file) => /[/\\]subgraph-[a-z]+\.ts$/.test(file))];
    expect(parts.map((file) => relative(PROJECT_ROOT, file))).toEqual(expect.arrayContaining([join('shared', 'src', 'subgraph-http.ts'), join('shared', 'src', 'subgraph-auth.ts')]));
    const gateway = files.filter((file) => file.startsWith(join(PROJECT_ROOT, 'gateway') + '/'));
    expect(gateway.length).toBeGreaterThan(0);
    const reached = new Set(gateway.flatMap((file) => [...reachableFrom(file)]));
    expect(reached).toContain(join(PROJECT_ROOT, 'shared', 'src', 'error-policy.ts'));
    expect(reached).toContain(join(PROJECT_ROOT, 'shared', 'src', 'drain.ts'));
    expect(parts.filter((part) => reached.has(part)).map((part) => relative(PROJECT_ROOT, part))).toEqual([]);
    expect([...reached].filter((file) => file.startsWith(join(PROJECT_ROOT, 'subgraphs') + '/')).map((file) => relative(PROJECT_ROOT, file))).toEqual([]);
  });
});
