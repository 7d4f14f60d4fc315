/** Every file under a folder (relative path => bytes), folders as entries too so empty ones count: for "left byte for byte as it was" assertions. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export function folderSnapshot(root: string): Map<string, Buffer | 'dir'> {
  const files = new Map<string, Buffer | 'dir'>();
  const visit = (relative: string): void => {
    for (const name of readdirSync(path.join(root, relative)).sort()) {
      const child = path.join(relative, name);
      if (statSync(path.join(root, child)).isDirectory()) {
        files.set(`${child}/`, 'dir');
        visit(child);
      } else files.set(child, readFileSync(path.join(root, child)));
    }
  };
  visit('');
  return files;
}
