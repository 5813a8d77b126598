import { createHash } from 'node:crypto';
import * as ts from 'typescript';
import { gitOutput } from './env';

/**
 * What a `lib/` tree runs, comments and layout aside: a hash of its sources (spec files excluded)
 * as TypeScript's printer writes them back without comments. Most commits that touch `lib/` after
 * a measurement change a comment, and the runs made before and after them measured the same code,
 * so the report pools them (runs of several days are steadier than runs of one: the machine's day
 * moves a ratio by up to 4 points). `undefined` when git cannot read the tree.
 */
export function libCodeOf(tree: string): string | undefined {
  if (codeByTree.has(tree)) return codeByTree.get(tree);
  let code: string | undefined;
  try {
    code = hashSources(readSources(tree));
  } catch {
    code = undefined;
  }
  codeByTree.set(tree, code);
  return code;
}

const codeByTree = new Map<string, string | undefined>();

/** The tree's library sources, path → text, read in one `git cat-file --batch`. */
function readSources(tree: string): Map<string, string> {
  const paths = gitOutput(['ls-tree', '-r', '--name-only', tree])
    .toString('utf8')
    .split('\n')
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.spec.ts'))
    .sort();
  // Each object comes as "<id> blob <bytes>\n<content>\n".
  const batch = gitOutput(
    ['cat-file', '--batch'],
    paths.map((path) => `${tree}:${path}\n`).join(''),
  );
  const sources = new Map<string, string>();
  let offset = 0;
  for (const path of paths) {
    const headerEnd = batch.indexOf(0x0a, offset);
    const [, type, size] = batch.toString('utf8', offset, headerEnd).split(' ');
    if (type !== 'blob') throw new Error(`git cat-file: no blob for ${path}`);
    const start = headerEnd + 1;
    const end = start + Number(size);
    sources.set(path, batch.toString('utf8', start, end));
    offset = end + 1;
  }
  return sources;
}

function hashSources(sources: Map<string, string>): string {
  const printer = ts.createPrinter({ removeComments: true });
  const hash = createHash('sha1');
  for (const [path, text] of sources) {
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    hash.update(`${path}\0${printer.printFile(file)}\0`);
  }
  return hash.digest('hex');
}

/**
 * Whether the committed `lib/` tree `tree` runs the same code as `other` (see `libCodeOf`). A
 * tree with uncommitted changes (`-dirty`) or one git cannot read matches nothing but itself.
 */
export function sameLibCode(tree: string | undefined, other: string): boolean {
  if (tree === undefined || tree.endsWith('-dirty')) return false;
  if (tree === other) return true;
  const code = libCodeOf(tree);
  return code !== undefined && code === libCodeOf(other);
}
