// Reads a workload file from disk with the checks a person needs to be told about before any YAML
// is parsed: it exists, it is a file (not a folder), it is workload-sized, it is UTF-8 text.
import { readFileSync, statSync } from 'node:fs';
import { invalidInput } from '../../common/errors.ts';
import { decodeWorkloadBytes, MAX_WORKLOAD_BYTES } from '../../common/plan/workloadYaml.ts';

/** `path` must be absolute (the caller resolves it against its working directory). */
export function readWorkloadFile(path: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw invalidInput(`no workload file at ${path}: see workloads/ for examples`);
    if (code === 'EACCES') throw invalidInput(`cannot read the workload file ${path}: permission denied`);
    throw err;
  }
  if (stat.isDirectory()) {
    throw invalidInput(`${path} is a directory; --workload expects one workload YAML file, e.g. ${path.replace(/\/+$/, '')}/<name>.yaml (kneepoint plan --list shows the bundled ones)`);
  }
  if (!stat.isFile()) throw invalidInput(`${path} is not a regular file; --workload expects one workload YAML file`);
  // checked before reading, so a huge file costs nothing (decodeWorkloadBytes checks again for pipes)
  if (stat.size > MAX_WORKLOAD_BYTES) decodeWorkloadBytes(new Uint8Array(stat.size), path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw invalidInput(`cannot read the workload file ${path}: permission denied`);
    throw err;
  }
  return decodeWorkloadBytes(bytes, path);
}
