// POSIX shell quoting for the one string OpenSSH hands to the remote user's shell. Every word is
// single-quoted (the only quoting with no special characters inside), so a model name, a path or
// a target's remote dir can never be read as shell syntax there.

/** One word, single-quoted: `it's` becomes `'it'\''s'`. */
export function shQuote(word: string): string {
  if (word.includes('\0')) throw new Error('a shell word cannot contain a NUL byte');
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line for `sh`: every argument quoted, joined by spaces. */
export function shCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(shQuote).join(' ');
}

/**
 * Run a fixed shell script with positional arguments: `sh -c SCRIPT sh ARG1 ARG2 …`, quoted. The
 * script is a constant of this program; user input only ever arrives as "$1", "$2", ….
 */
export function shScript(script: string, args: readonly string[] = []): string {
  return shCommand(['sh', '-c', script, 'sh', ...args]);
}
