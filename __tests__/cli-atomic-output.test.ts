/** cli/atomic-output.ts: the output folder changes completely or not at all. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { previousFolder, recoverAbandonedRuns, stagingFolder, writeOutputAtomically } from '../cli/atomic-output';
import { PreSwapCheck } from '../cli/pre-swap-checks';
import { folderSnapshot } from '../test-support/folder-snapshot';

/** A process id no process has (above Linux's pid_max limit of 2^22). */
const DEAD_PID = 99_999_999;

function writeFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A complete cdktf output with these stacks (and, optionally, annotations on the first). */
function writeOutput(outdir: string, stacks: readonly string[], annotations: readonly object[] = []): void {
  for (const stack of stacks) writeFile(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), `{"stack": "${stack}"}\n`);
  const manifest = { stacks: Object.fromEntries(stacks.map((stack, index) => [stack, { annotations: index === 0 ? annotations : [] }])) };
  writeFile(path.join(outdir, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
}

describe('GIVEN an output folder from an earlier synth', () => {
  let parent: string;
  let outdir: string;
  beforeEach(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'launcher-atomic-'));
    outdir = path.join(parent, 'cdktf.out');
    writeOutput(outdir, ['kept', 'dropped']);
    writeFile(path.join(outdir, 'stacks', 'kept', '.terraform.lock.hcl'), 'lock\n');
    writeFile(path.join(outdir, 'stacks', 'kept', '.terraform', 'providers', 'p'), 'provider\n');
    writeFile(path.join(outdir, 'stacks', 'dropped', '.terraform.lock.hcl'), 'lock of a dropped stack\n');
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  test('WHEN the new output is written THEN it replaces the folder completely and nothing is left beside it', () => {
    const result = writeOutputAtomically(outdir, { write: (staged) => writeOutput(staged, ['kept', 'added']) });

    expect(result).toEqual({ ok: true, messages: [] });
    expect([...folderSnapshot(outdir).keys()]).toEqual([
      'manifest.json',
      'stacks/',
      'stacks/added/',
      'stacks/added/cdk.tf.json',
      'stacks/kept/',
      'stacks/kept/.terraform/',
      'stacks/kept/.terraform/providers/',
      'stacks/kept/.terraform/providers/p',
      'stacks/kept/.terraform.lock.hcl',
      'stacks/kept/cdk.tf.json',
    ]);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test("WHEN the new output is written THEN Terraform's working files of a remaining stack are carried over", () => {
    writeOutputAtomically(outdir, { write: (staged) => writeOutput(staged, ['kept']) });

    expect(readFileSync(path.join(outdir, 'stacks', 'kept', '.terraform.lock.hcl'), 'utf8')).toBe('lock\n');
    expect(readFileSync(path.join(outdir, 'stacks', 'kept', '.terraform', 'providers', 'p'), 'utf8')).toBe('provider\n');
  });

  test('WHEN keepDroppedStackFolders is set (the cdktf CLI deletes them itself) THEN a dropped stack leaves an empty folder', () => {
    writeOutputAtomically(outdir, { write: (staged) => writeOutput(staged, ['kept']), keepDroppedStackFolders: true });

    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['dropped', 'kept']);
    expect(readdirSync(path.join(outdir, 'stacks', 'dropped'))).toEqual([]);
  });

  test('fails WHEN the synth throws after writing part of a stack, AND leaves the folder byte for byte as it was', () => {
    const before = folderSnapshot(outdir);
    const failure = new Error('synthesis blew up');

    const result = writeOutputAtomically(outdir, {
      write: (staged) => {
        writeFile(path.join(staged, 'stacks', 'kept', 'cdk.tf.json'), 'half');
        throw failure;
      },
    });

    expect(result).toEqual({ ok: false, reason: 'synthesis failed', messages: [], error: failure });
    expect(folderSnapshot(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test('fails WHEN the synth ends without writing manifest.json, AND leaves the folder byte for byte as it was', () => {
    const before = folderSnapshot(outdir);

    const result = writeOutputAtomically(outdir, { write: (staged) => writeFile(path.join(staged, 'stacks', 'kept', 'cdk.tf.json'), '{}') });

    expect(result).toEqual({ ok: false, reason: 'synthesis failed', messages: ['manifest.json was not written (app.synth() did not complete)'] });
    expect(folderSnapshot(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });

  test('fails WHEN the new output carries an error annotation, naming it, AND leaves the folder as it was', () => {
    const before = folderSnapshot(outdir);

    const result = writeOutputAtomically(outdir, {
      write: (staged) => writeOutput(staged, ['kept'], [{ level: '@cdktf/error', constructPath: 'kept/repositories', message: 'RULE-1: not encrypted' }]),
    });

    expect(result).toEqual({ ok: false, reason: 'synthesis failed', messages: ['ERROR [kept/repositories]: RULE-1: not encrypted'] });
    expect(folderSnapshot(outdir)).toEqual(before);
  });

  test('WHEN a pre-swap check runs THEN it sees the current folder and the complete staged output', () => {
    const seen: { previous?: string; stagedStacks?: string[]; stagedManifest?: boolean }[] = [];
    const check: PreSwapCheck = (previous, staged) => {
      seen.push({ previous, stagedStacks: readdirSync(path.join(staged, 'stacks')).sort(), stagedManifest: existsSync(path.join(staged, 'manifest.json')) });
      return { ok: true, messages: ['change report: nothing deleted'] };
    };

    const result = writeOutputAtomically(outdir, { write: (staged) => writeOutput(staged, ['added']), preSwapChecks: [check] });

    expect(result).toEqual({ ok: true, messages: ['change report: nothing deleted'] });
    expect(seen).toEqual([{ previous: outdir, stagedStacks: ['added'], stagedManifest: true }]);
  });

  test("fails WHEN a pre-swap check refuses, with every check's messages, AND leaves the folder as it was", () => {
    const before = folderSnapshot(outdir);
    const refuse: PreSwapCheck = () => ({ ok: false, messages: ['stack dropped would be deleted: confirm first'] });
    const pass: PreSwapCheck = () => ({ ok: true, messages: ['second check ran'] });

    const result = writeOutputAtomically(outdir, { write: (staged) => writeOutput(staged, ['kept']), preSwapChecks: [refuse, pass] });

    expect(result).toEqual({
      ok: false,
      reason: 'a pre-swap check refused the new output',
      messages: ['stack dropped would be deleted: confirm first', 'second check ran'],
    });
    expect(folderSnapshot(outdir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['cdktf.out']);
  });
});

describe('GIVEN no output folder yet', () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(path.join(os.tmpdir(), 'launcher-atomic-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  test('WHEN the first output is written THEN a pre-swap check is told there is no previous output', () => {
    const previousSeen: (string | undefined)[] = [];
    const outdir = path.join(parent, 'nested', 'cdktf.out');

    const result = writeOutputAtomically(outdir, {
      write: (staged) => writeOutput(staged, ['first']),
      preSwapChecks: [(previous) => (previousSeen.push(previous), { ok: true, messages: [] })],
    });

    expect(result.ok).toBe(true);
    expect(previousSeen).toEqual([undefined]);
    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['first']);
  });

  test('WHEN a killed run left its staging folder THEN the next run removes it', () => {
    const outdir = path.join(parent, 'cdktf.out');
    writeOutput(stagingFolder(outdir, DEAD_PID), ['half']);

    recoverAbandonedRuns(outdir);

    expect(readdirSync(parent)).toEqual([]);
  });

  test('WHEN a run was killed between the two renames THEN the next run restores the previous output', () => {
    const outdir = path.join(parent, 'cdktf.out');
    writeOutput(previousFolder(outdir, DEAD_PID), ['restored']);

    recoverAbandonedRuns(outdir);

    expect(readdirSync(parent)).toEqual(['cdktf.out']);
    expect(readdirSync(path.join(outdir, 'stacks'))).toEqual(['restored']);
  });

  test('WHEN another live run is staging beside the folder THEN its staging folder is left alone', () => {
    const outdir = path.join(parent, 'cdktf.out');
    writeOutput(stagingFolder(outdir, process.ppid), ['in-progress']);

    recoverAbandonedRuns(outdir);

    expect(readdirSync(parent)).toEqual([path.basename(stagingFolder(outdir, process.ppid))]);
  });
});
