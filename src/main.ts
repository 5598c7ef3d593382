/**
 * The `berth` executable: `berth daemon` runs the engine, everything else is the
 * docker-compatible command line (a client of the engine's API).
 */
const argv = process.argv.slice(2);

async function main(): Promise<number> {
  if (argv[0] === 'daemon' || argv[0] === 'dockerd') {
    const { daemonMain } = await import('./daemon/main.js');
    const code = await daemonMain(argv.slice(1));
    process.exit(code);
  }
  const { cliMain } = await import('./cli/main.js');
  return cliMain(argv);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`berth: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
