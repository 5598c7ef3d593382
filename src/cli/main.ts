export async function cliMain(argv: readonly string[]): Promise<number> {
  process.stderr.write(`berth: CLI not built yet (${argv.join(' ')})\n`);
  return 1;
}
