// What the engine may read from the folder a command runs in: the files the command names (bounded) and the
// package.json scripts `npm run`/`yarn`/`pnpm` would run there. Every caller (terminal hook, bypass check, CLI,
// Run Command Guarded) builds it here, so a command is judged alike wherever it was typed.
import { boundedFileReader, type FileReader } from './file-reader.js';
import { readPackageScripts } from './package-scripts.js';

export interface FolderContext {
  readonly cwd: string | undefined;
  readonly readFile: FileReader;
  readonly packageScripts: ReadonlyMap<string, string> | undefined;
}

export function folderContext(cwd: string | undefined): FolderContext {
  return { cwd, readFile: boundedFileReader(cwd), packageScripts: cwd === undefined ? undefined : readPackageScripts(cwd) };
}
