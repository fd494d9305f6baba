import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { HfVideoError } from '../../core/errors';
import type { JobQueue } from '../../core/jobs/queue';
import type { JobRecord } from '../../core/jobs/record';
import { parseSidecar, sidecarPath } from '../../core/jobs/sidecar';
import { oneLine } from '../../core/progressText';
import type { SnippetLanguage } from '../../core/snippets';
import { isProviderName } from '../../core/types';
import type { CompareManager } from '../../panel/compareManager';
import type { PlayerManager } from '../../panel/playerManager';
import type { Generations } from '../generations';
import type { Log } from '../log';
import { onDemand } from '../onDemand';
import { showError } from '../showError';
import { showJobs, SHOW_JOBS_COMMAND } from '../statusBar';
import type { VideoLibrary } from '../videoLibrary';
import { commandResult } from './generateCommands';

interface Deps {
  queue: JobQueue;
  generations: Generations;
  library: VideoLibrary;
  player: PlayerManager;
  compare: CompareManager;
  log: Log;
  reveal(record: JobRecord): Thenable<unknown>;
}

/**
 * The commands that act on one generation; the title of each is that of its pick from the history. Each takes the history item it was run on, a saved video or
 * sidecar (Explorer), a job id (scripts, tests), or nothing: then the player's video, or a pick from the history.
 */
export function registerJobCommands(deps: Deps): vscode.Disposable[] {
  const { queue, generations, library, player, compare, log } = deps;
  const job = (title: string, command: string, action: (record: JobRecord) => unknown, accept?: (record: JobRecord) => boolean) =>
    vscode.commands.registerCommand(command, async (target?: unknown) => {
      try {
        const record = await findJob(queue, player, target, title, accept);
        return record && (await action(record));
      } catch (error) {
        void showError(error, log);
        return undefined;
      }
    });
  const done = (record: JobRecord) => record.state === 'done';

  return [
    job(vscode.l10n.t('Open a Generated Video…'), 'hfVideo.showVideo', (record) => player.show(record.id), done),
    job(vscode.l10n.t('Save a Generated Video…'), 'hfVideo.saveVideo', async (record) => {
      const saved = await library.save(record.id);
      if (saved) player.refresh(record.id);
      return saved;
    }, done),
    job(vscode.l10n.t('Compare the Variations of…'), 'hfVideo.compareVariations', (record) => compare.show(record.request.variationGroup!), (record) => !!record.request.variationGroup),
    // The compare view's "Save Selected": each picked video of the group that is ready, saved with its sidecar.
    vscode.commands.registerCommand('hfVideo.saveVariations', async (groupId: unknown, jobIds: unknown) => {
      const picked = Array.isArray(jobIds) ? jobIds : [];
      const records = queue.list().filter((record) => record.request.variationGroup === groupId && record.state === 'done' && picked.includes(record.id));
      const saved: string[] = [];
      for (const record of records) {
        const file = await vscode.commands.executeCommand<string | undefined>('hfVideo.saveVideo', record.id);
        if (file) saved.push(file);
      }
      return saved;
    }),
    job(vscode.l10n.t('Save a Generated Video As…'), 'hfVideo.saveVideoAs', (record) => library.save(record.id, { ask: true }), done),
    job(vscode.l10n.t('Reveal a Generated Video…'), 'hfVideo.revealVideo', (record) => library.reveal(record.id), done),
    job(vscode.l10n.t('Regenerate…'), 'hfVideo.regenerate', async (record) => commandResult(await generations.regenerate(record, true))),
    job(vscode.l10n.t('Vary the Seed of…'), 'hfVideo.varySeed', async (record) => commandResult(await generations.regenerate(record, false))),
    job(vscode.l10n.t('Copy the Prompt of…'), 'hfVideo.copyPrompt', async (record) => {
      await vscode.env.clipboard.writeText(record.request.prompt);
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Prompt copied'), 3000);
    }),
    job(vscode.l10n.t('Copy the Seed of…'), 'hfVideo.copySeed', async (record) => {
      if (record.seed === undefined) throw new HfVideoError('invalidInput', vscode.l10n.t('This generation has no known seed.'));
      await vscode.env.clipboard.writeText(String(record.seed));
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Seed {0} copied', record.seed), 3000);
    }),
    ...copyAsCode.map(({ language, command, title, copied }) =>
      job(title, command, async (record) => {
        const { snippetFor, snippetJob } = onDemand();
        await vscode.env.clipboard.writeText(snippetFor(language, snippetJob(record)));
        vscode.window.setStatusBarMessage(copied, 3000);
      }),
    ),
    job(vscode.l10n.t('Delete a Generation…'), 'hfVideo.deleteVideo', async (record) => {
      if (await library.delete(record.id)) player.refresh(record.id);
    }),
    job(vscode.l10n.t('Download Again…'), 'hfVideo.downloadAgain', async (record) => commandResult(await generations.downloadAgain(record.id)), (record) => !!record.failure?.canDownloadAgain),
    job(vscode.l10n.t('Cancel a Generation…'), 'hfVideo.cancelJob', (record) => queue.cancel(record.id), (record) => queue.isOurs(record.id)),
    vscode.commands.registerCommand('hfVideo.openInPlayer', async (target?: unknown) => {
      const uri = target instanceof vscode.Uri ? target : await pickVideoFile();
      if (uri) player.showFile(uri);
    }),
    vscode.commands.registerCommand(SHOW_JOBS_COMMAND, () => showJobs(queue, deps.reveal)),
    vscode.commands.registerCommand('hfVideo.clearUnsavedVideos', async () => {
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete every generated video that was not saved into a workspace? Their prompts stay in the history.'),
        { modal: true },
        vscode.l10n.t('Delete Unsaved Videos'),
      );
      if (!choice) return 0;
      const count = await library.clearUnsaved();
      void vscode.window.showInformationMessage(
        count === 0 ? vscode.l10n.t('There were no unsaved videos.') : count === 1 ? vscode.l10n.t('Deleted 1 unsaved video.') : vscode.l10n.t('Deleted {0} unsaved videos.', count),
      );
      return count;
    }),
  ];
}

/** The "Copy as …" commands: one generation as code that makes it again. */
const copyAsCode: ReadonlyArray<{ language: SnippetLanguage; command: string; title: string; copied: string }> = [
  { language: 'python', command: 'hfVideo.copyAsPython', title: vscode.l10n.t('Copy as Python…'), copied: vscode.l10n.t('$(check) Python code copied (it reads your token from HF_TOKEN)') },
  { language: 'javascript', command: 'hfVideo.copyAsJavaScript', title: vscode.l10n.t('Copy as JavaScript…'), copied: vscode.l10n.t('$(check) JavaScript code copied (it reads your token from HF_TOKEN)') },
  { language: 'curl', command: 'hfVideo.copyAsCurl', title: vscode.l10n.t('Copy as curl…'), copied: vscode.l10n.t('$(check) curl script copied (it reads your token from HF_TOKEN)') },
];

/** Resolves what a command was run on to a recorded job (or, for a sidecar nobody recorded here, a job-like request). */
async function findJob(queue: JobQueue, player: PlayerManager, target: unknown, title: string, accept: (record: JobRecord) => boolean = () => true): Promise<JobRecord | undefined> {
  if (typeof target === 'string') return queue.get(target) ?? noSuchJob();
  if (target && typeof target === 'object' && 'id' in target && typeof (target as JobRecord).id === 'string' && !(target instanceof vscode.Uri)) {
    return queue.get((target as JobRecord).id) ?? noSuchJob();
  }
  if (target instanceof vscode.Uri) return jobOfFile(queue, target);
  const current = player.currentJobId();
  if (current && queue.get(current) && accept(queue.get(current)!)) return queue.get(current);
  const candidates = queue.list().filter(accept);
  if (!candidates.length) throw new HfVideoError('invalidInput', vscode.l10n.t('There is no generated video for this yet: generate one first.'));
  const picked = await vscode.window.showQuickPick(
    candidates.map((record) => ({ record, label: oneLine(record.request.prompt, 70), description: `${record.request.model} · ${record.state}`, detail: new Date(record.timings.createdAt).toLocaleString() })),
    { title, placeHolder: vscode.l10n.t('Pick a generation') },
  );
  return picked?.record;
}

/**
 * The job behind a saved video or its sidecar. A sidecar from elsewhere (a colleague's commit) has no
 * record here, but it holds the whole request: it is turned into one so it can be made again.
 */
async function jobOfFile(queue: JobQueue, uri: vscode.Uri): Promise<JobRecord> {
  const path = uri.fsPath;
  const known = queue.list().find((record) => record.savedFiles.some((saved) => saved === path || sidecarPath(saved) === path));
  if (known) return known;
  const sidecarFile = path.endsWith('.json') ? path : sidecarPath(path);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(sidecarFile, 'utf8'));
  } catch {
    throw new HfVideoError(
      'invalidInput',
      vscode.l10n.t('{0} is missing or not readable: a video can be made again only with the sidecar saved beside it.', vscode.workspace.asRelativePath(sidecarFile, false)),
    );
  }
  const parsed = parseSidecar(json);
  if (parsed instanceof HfVideoError) throw parsed;
  // Who made it, for Copy as curl (which checks the id before writing it into a script).
  const { provider, providerId } = json as { provider?: unknown; providerId?: unknown };
  return {
    provider: isProviderName(provider) ? provider : undefined,
    providerId: typeof providerId === 'string' ? providerId : undefined,
    schemaVersion: 1,
    id: '',
    request: { ...parsed.request, source: { kind: 'sidecar', uri: vscode.Uri.file(sidecarFile).toString() } },
    state: 'done',
    seed: parsed.request.parameters.seed,
    savedFiles: [],
    timings: { createdAt: new Date().toISOString() },
  };
}

/** From the palette: the video file to open, starting in the workspace. */
async function pickVideoFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Open in Video Player'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [vscode.l10n.t('Videos')]: ['mp4', 'webm'] },
    canSelectMany: false,
  });
  return picked?.[0];
}

function noSuchJob(): never {
  throw new HfVideoError('invalidInput', vscode.l10n.t('This generation is no longer in the history.'));
}
