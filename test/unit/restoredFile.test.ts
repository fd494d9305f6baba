// Which file a restored player state may bring back: real temp folders, files and symlinks.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileToRestore, restorableState, type FolderOnDisk } from '../../src/panel/restoredFile';

describe('a restored player state', () => {
  let root: string;
  let folders: FolderOnDisk[];
  let outside: string;

  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'hf-video-restore-')));
    const project = join(root, 'project');
    const other = join(root, 'other');
    outside = join(root, 'outside');
    for (const folder of [join(project, 'videos'), other, outside]) mkdirSync(folder, { recursive: true });
    writeFileSync(join(project, 'videos', 'clip.mp4'), 'mp4');
    writeFileSync(join(other, 'take.webm'), 'webm');
    writeFileSync(join(project, 'notes.txt'), 'text');
    writeFileSync(join(outside, 'secret.mp4'), 'mp4');
    folders = [
      { name: 'project', path: project },
      { name: 'other', path: other },
    ];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names a file by its path in the workspace folder that holds it, and nothing for a file outside', () => {
    assert.deepEqual(restorableState(join(folders[0]!.path, 'videos', 'clip.mp4'), folders), { file: 'videos/clip.mp4', folder: 'project' });
    assert.deepEqual(restorableState(join(outside, 'secret.mp4'), folders), {});
  });

  it('brings back a video inside an open folder, named by folder name, index, or the first folder', async () => {
    const clip = join(folders[0]!.path, 'videos', 'clip.mp4');
    assert.equal(await fileToRestore({ file: 'videos/clip.mp4', folder: 'project' }, folders), clip);
    assert.equal(await fileToRestore({ file: 'videos/clip.mp4' }, folders), clip);
    assert.equal(await fileToRestore({ file: 'take.webm', folder: 1 }, folders), join(folders[1]!.path, 'take.webm'));
  });

  it('brings back what it names: the state of a shown file leads to the same file', async () => {
    const clip = join(folders[0]!.path, 'videos', 'clip.mp4');
    assert.equal(await fileToRestore(restorableState(clip, folders), folders), clip);
  });

  it('refuses a path that climbs out with ..', async () => {
    assert.equal(await fileToRestore({ file: '../outside/secret.mp4', folder: 'project' }, folders), undefined);
    assert.equal(await fileToRestore({ file: 'videos/../../outside/secret.mp4', folder: 'project' }, folders), undefined);
  });

  it('refuses an absolute path, even to a video of the workspace', async () => {
    assert.equal(await fileToRestore({ file: join(outside, 'secret.mp4') }, folders), undefined);
    assert.equal(await fileToRestore({ file: join(folders[0]!.path, 'videos', 'clip.mp4') }, folders), undefined);
  });

  it('refuses a symlink in the workspace that leads outside it, to a file or through a folder', async () => {
    symlinkSync(join(outside, 'secret.mp4'), join(folders[0]!.path, 'linked.mp4'));
    symlinkSync(outside, join(folders[0]!.path, 'linked-folder'), 'dir');
    assert.equal(await fileToRestore({ file: 'linked.mp4', folder: 'project' }, folders), undefined);
    assert.equal(await fileToRestore({ file: 'linked-folder/secret.mp4', folder: 'project' }, folders), undefined);
  });

  it('refuses a missing file, a file that is not a video, and a folder that is not open', async () => {
    assert.equal(await fileToRestore({ file: 'videos/gone.mp4', folder: 'project' }, folders), undefined);
    assert.equal(await fileToRestore({ file: 'notes.txt', folder: 'project' }, folders), undefined);
    assert.equal(await fileToRestore({ file: 'videos/clip.mp4', folder: 'closed' }, folders), undefined);
    assert.equal(await fileToRestore({ file: 'videos/clip.mp4', folder: 2 }, folders), undefined);
  });
});
