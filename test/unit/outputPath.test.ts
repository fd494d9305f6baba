import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HfVideoError } from '../../src/core/errors';
import {
  DEFAULT_FILE_NAME_TEMPLATE,
  expandFileNameTemplate,
  resolveSaveTarget,
  saveIntoWorkspace,
  type TemplateVariables,
} from '../../src/core/jobs/outputPath';

const VARS: TemplateVariables = {
  date: new Date(2026, 10, 5, 9, 4, 7), // Local time, as the template uses it.
  prompt: 'A red Fox jumps over the café!',
  model: 'Wan-AI/Wan2.1-T2V-14B',
  provider: 'fal-ai',
  seed: 42,
  preset: 'Fast Draft',
  index: 3,
};

/** Asserts that `action` fails with an error that sends the user to `setting` and says `words`. */
async function assertSettingError(action: () => unknown, setting: string, words: RegExp): Promise<void> {
  await assert.rejects(async () => action(), (error: unknown) => {
    assert.ok(error instanceof HfVideoError);
    assert.equal(error.kind, 'invalidInput');
    assert.deepEqual(error.nextStep, { action: 'openSettings', label: 'Open Setting', setting });
    assert.match(error.userMessage, new RegExp(setting.replace('.', '\\.')));
    assert.match(error.userMessage, words);
    return true;
  });
}

describe('output path', () => {
  describe('file name template', () => {
    it('expands every variable', () => {
      const all = '${date}_${time}_${prompt}_${model}_${provider}_${seed}_${preset}_${index}';
      assert.equal(expandFileNameTemplate(all, VARS), '2026-11-05_090407_a-red-fox-jumps-over-the-cafe_wan2-1-t2v-14b_fal-ai_42_fast-draft_3');
      assert.equal(expandFileNameTemplate(DEFAULT_FILE_NAME_TEMPLATE, VARS), '2026-11-05-a-red-fox-jumps-over-the-cafe');
    });

    it('leaves absent variables empty without stray dashes', () => {
      const vars = { date: VARS.date, prompt: 'fox', model: 'tiny-model' };
      assert.equal(expandFileNameTemplate('${prompt}-${provider}-${seed}-${preset}-${index}', vars), 'fox');
      assert.equal(expandFileNameTemplate('${model}', vars), 'tiny-model');
      assert.equal(expandFileNameTemplate('${index}${preset}', vars), 'video');
    });

    it('keeps the prompt short', () => {
      assert.ok(expandFileNameTemplate('${prompt}', { ...VARS, prompt: 'word '.repeat(100) }).length <= 48);
    });

    it('names the unknown variable and the setting', async () => {
      await assertSettingError(() => expandFileNameTemplate('${date}-${title}', VARS), 'hfVideo.fileNameTemplate', /\$\{title\}/);
      await assertSettingError(() => expandFileNameTemplate('${date', VARS), 'hfVideo.fileNameTemplate', /never closed/);
    });

    it('makes every part of the name legal on Windows, macOS and Linux', () => {
      assert.equal(expandFileNameTemplate('clip<1>:"a|b"?*\u0007', VARS), 'clip-1-a-b');
      assert.equal(expandFileNameTemplate('take -- two . . ', VARS), 'take - two');
      assert.equal(expandFileNameTemplate('...${date}...', VARS), '2026-11-05');
      assert.equal(expandFileNameTemplate('nul', VARS), 'nul-video');
      assert.equal(expandFileNameTemplate('<>', VARS), 'video');
      assert.ok(expandFileNameTemplate('x'.repeat(400), VARS).length <= 200);
    });

    it('makes sub-folders from "/" and drops empty ones', () => {
      assert.equal(expandFileNameTemplate('${model}/${prompt}', VARS), 'wan2-1-t2v-14b/a-red-fox-jumps-over-the-cafe');
      assert.equal(expandFileNameTemplate('videos\\${provider}//${seed}', VARS), 'videos/fal-ai/42');
      assert.equal(expandFileNameTemplate('${preset}/${prompt}', { ...VARS, preset: undefined }), 'a-red-fox-jumps-over-the-cafe');
      assert.equal(expandFileNameTemplate('${model}/${index}', { ...VARS, index: undefined }), 'wan2-1-t2v-14b/video');
    });

    it('refuses "." and ".." folders', async () => {
      await assertSettingError(() => expandFileNameTemplate('../${prompt}', VARS), 'hfVideo.fileNameTemplate', /"\.\."/);
      await assertSettingError(() => expandFileNameTemplate('a/ .. /b', VARS), 'hfVideo.fileNameTemplate', /"\.\."/);
      await assertSettingError(() => expandFileNameTemplate('./${prompt}', VARS), 'hfVideo.fileNameTemplate', /"\."/);
    });
  });

  describe('save target', () => {
    const folders: string[] = [];
    let workspace: string;
    let outside: string;
    let source: string;

    beforeEach(async () => {
      workspace = await mkdtemp(join(tmpdir(), 'hfv-workspace-'));
      outside = await mkdtemp(join(tmpdir(), 'hfv-elsewhere-'));
      folders.push(workspace, outside);
      source = join(outside, 'downloaded.mp4');
      await writeFile(source, 'video bytes');
    });
    after(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

    const target = (outputFolder: string, fileName = 'fox', extension: '.mp4' | '.webm' = '.mp4') =>
      resolveSaveTarget({ workspaceFolder: workspace, outputFolder, fileName, extension });

    it('puts the video in the output folder and its template sub-folders', async () => {
      assert.deepEqual(await target('videos'), { folder: join(workspace, 'videos'), name: 'fox.mp4' });
      assert.deepEqual(await target('', 'wan/fox', '.webm'), { folder: join(workspace, 'wan'), name: 'fox.webm' });
      assert.deepEqual(await target('media/../clips'), { folder: join(workspace, 'clips'), name: 'fox.mp4' });
    });

    it('refuses an absolute output folder', async () => {
      await assertSettingError(() => target(outside), 'hfVideo.outputFolder', /relative to the workspace folder/);
    });

    it('refuses ".." leading out of the workspace folder', async () => {
      await assertSettingError(() => target('../elsewhere'), 'hfVideo.outputFolder', /leads outside the workspace folder/);
      await assertSettingError(() => target('videos/../..'), 'hfVideo.outputFolder', /leads outside the workspace folder/);
      await assertSettingError(() => target('videos', '../fox'), 'hfVideo.fileNameTemplate', /"\.\."/);
    });

    it('refuses an output folder that is a link to outside the workspace folder', async () => {
      await symlink(outside, join(workspace, 'videos'), 'junction');
      await assertSettingError(() => target('videos'), 'hfVideo.outputFolder', /"videos".*leads outside the workspace folder/);
      await assertSettingError(() => target('videos/new/deeper'), 'hfVideo.outputFolder', /leads outside the workspace folder/);
    });

    it('refuses a template sub-folder that is a link to outside the workspace folder', async () => {
      await mkdir(join(workspace, 'videos'));
      await symlink(outside, join(workspace, 'videos', 'wan'), 'junction');
      await assertSettingError(() => target('videos', 'wan/fox'), 'hfVideo.fileNameTemplate', /"wan".*leads outside the workspace folder/);
    });

    it('refuses a link to nothing, which it cannot check', async () => {
      await symlink(join(outside, 'missing'), join(workspace, 'videos'), 'junction');
      await assertSettingError(() => target('videos'), 'hfVideo.outputFolder', /leads outside the workspace folder/);
    });

    it('does not take a file in the way for a link leading outside', async () => {
      await writeFile(join(workspace, 'videos'), 'a file');
      assert.deepEqual(await target('videos/clips'), { folder: join(workspace, 'videos', 'clips'), name: 'fox.mp4' });
    });

    it('accepts a link that stays inside the workspace folder', async () => {
      await mkdir(join(workspace, 'media', 'clips'), { recursive: true });
      await symlink(join(workspace, 'media'), join(workspace, 'videos'), 'junction');
      assert.deepEqual(await target('videos/clips'), { folder: join(workspace, 'videos', 'clips'), name: 'fox.mp4' });
    });

    it('creates the folders on the way', async () => {
      const saved = await saveIntoWorkspace(source, await target('videos/2026', 'wan/fast/fox'));
      assert.equal(saved, join(workspace, 'videos', '2026', 'wan', 'fast', 'fox.mp4'));
      assert.equal(await readFile(saved, 'utf8'), 'video bytes');
    });

    it('never overwrites: a taken name gets -2', async () => {
      await mkdir(join(workspace, 'videos'));
      await writeFile(join(workspace, 'videos', 'fox.mp4'), 'precious');
      const saved = await saveIntoWorkspace(source, await target('videos'));
      assert.equal(saved, join(workspace, 'videos', 'fox-2.mp4'));
      assert.equal(await readFile(join(workspace, 'videos', 'fox.mp4'), 'utf8'), 'precious');
      assert.deepEqual((await readdir(join(workspace, 'videos'))).sort(), ['fox-2.mp4', 'fox.mp4']);
    });

    it('gives concurrent saves of one name distinct files', async () => {
      const destination = await target('videos');
      const saved = await Promise.all(Array.from({ length: 6 }, () => saveIntoWorkspace(source, destination)));
      assert.equal(new Set(saved).size, 6);
      assert.equal((await readdir(join(workspace, 'videos'))).length, 6);
    });
  });
});
