/** Reads `--name value` and `--name=value` options; repeated options collect into a list. */
export function parseOptions(argv: string[]): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`unexpected argument "${argv[i]}"`);
    const value = match[2] ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
    options.set(match[1], [...(options.get(match[1]) ?? []), value]);
  }
  return options;
}
