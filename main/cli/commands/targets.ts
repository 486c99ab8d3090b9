// `kneepoint targets …`: remote machines reached over ssh.
import type { Command } from 'commander';

export function registerTargets(_program: Command): void {
  // filled in below
}
