/**
 * Sizes and counts of a bench from BENCH_* environment variables: each key of `defaults` is read from the variable of
 * the same name in upper snake case (`entities` from BENCH_ENTITIES, `tiEntities` from BENCH_TI_ENTITIES), else its
 * default. A value that is not a number of zero or more stops the bench rather than running it with NaN.
 *
 * @public
 */
export function benchSizes<K extends string>(
  defaults: Record<K, number>,
  env: NodeJS.ProcessEnv = process.env,
): Record<K, number> {
  const sizes = {} as Record<K, number>;
  for (const key of Object.keys(defaults) as K[]) {
    const variable = `BENCH_${key
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toUpperCase()}`;
    const text = env[variable];
    const value =
      text === undefined || text === '' ? defaults[key] : Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(
        `${variable} must be a number of 0 or more, got '${text}'`,
      );
    sizes[key] = value;
  }
  return sizes;
}

/**
 * Runs a bench's main function: an error is printed and exits with 1; otherwise the exit code is the one main set
 * (1 for a missed target). `exitWhenDone` exits at once, for a bench whose test backends leave timers behind.
 *
 * @public
 */
export function runBench(
  main: () => Promise<void>,
  options: { exitWhenDone?: boolean } = {},
): void {
  main().then(
    () => {
      if (options.exitWhenDone) process.exit(process.exitCode ?? 0);
    },
    error => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
