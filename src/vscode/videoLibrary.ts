import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import * as vscode from 'vscode';
import { expandFileNameTemplate, resolveSaveTarget, saveIntoWorkspace } from '../core/jobs/outputPath';
import type { JobQueue } from '../core/jobs/queue';
import { savedCopyOnDisk, videoOnDisk, type JobRecord } from '../core/jobs/record';
import { sidecarFor, sidecarPath, writeSidecar } from '../core/jobs/sidecar';
import { pruneUnsaved, removeStrayPartials } from '../core/jobs/storageBudget';
import { HfVideoError } from '../core/errors';
import { copyWithoutOverwriting } from '../core/saveCopy';
import { sourceUri } from './generations';
import type { Log } from './log';
import { readJobSettings } from './settings';

/** The button of the "Saved the video" message. */
const OPEN = vscode.l10n.t('Open');

/** Interrupted downloads leave `.part` files; one a day old belongs to no running download. */
const STRAY_PARTIAL_AGE_MS = 24 * 3_600_000;

/**
 * The videos the extension made: kept in its storage until saved, saved into the workspace with a
 * sidecar that can make them again, deleted to the trash, and held within the storage budget.
 */
export class VideoLibrary {
  constructor(
    private readonly queue: JobQueue,
    private readonly log: Log,
    private readonly extensionVersion: string,
    readonly videosDir: string,
  ) {}

  /**
   * Saves a job's video under `hfVideo.outputFolder` of the workspace folder holding its prompt, named
   * by `hfVideo.fileNameTemplate`, with its sidecar beside it. With no folder open, or `ask`, it asks
   * where. Returns the saved path, or undefined when the user backed out.
   */
  async save(id: string, options: { ask?: boolean } = {}): Promise<string | undefined> {
    const record = this.require(id);
    const source = videoOnDisk(record);
    if (!source) throw new HfVideoError('invalidInput', 'This generation has no video on disk to save.');
    // A preset or prompt file may choose the folder and the name; the settings decide otherwise.
    const settings = { ...readJobSettings(sourceUri(record)), ...definedOnly({ outputFolder: record.request.outputFolder, fileNameTemplate: record.request.fileNameTemplate }) };
    const folder = workspaceFolderOf(record);
    const extension = extname(source) === '.webm' ? '.webm' : '.mp4';
    const fileName = expandFileNameTemplate(settings.fileNameTemplate, {
      date: new Date(),
      prompt: record.request.prompt,
      model: record.request.model,
      provider: record.provider,
      seed: record.seed,
      preset: record.request.preset,
      shot: record.request.shot?.name,
      index: record.request.shot?.index,
    });
    let saved: string;
    if (folder && !options.ask) {
      saved = await saveIntoWorkspace(source, await resolveSaveTarget({ workspaceFolder: folder.uri.fsPath, outputFolder: settings.outputFolder, fileName, extension }));
    } else {
      const suggested = folder ? join(folder.uri.fsPath, settings.outputFolder) : homedir();
      const target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Save Video'),
        defaultUri: vscode.Uri.file(join(suggested, `${basename(fileName)}${extension}`)),
        filters: { Video: [extension.slice(1)] },
        saveLabel: vscode.l10n.t('Save Video'),
      });
      if (!target) return undefined;
      // Even where the dialog confirmed replacing a file, the existing one is kept and the copy gets a new name.
      saved = await copyWithoutOverwriting(source, dirname(target.fsPath), basename(target.fsPath));
    }
    await this.queue.update(id, { savedFiles: [...record.savedFiles, saved] });
    await writeSidecar(saved, sidecarFor(this.require(id), { extensionVersion: this.extensionVersion }));
    this.log.info(`Saved the video to ${saved}`);
    const uri = vscode.Uri.file(saved);
    if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved the video to {0}.', vscode.workspace.asRelativePath(uri, false)), OPEN).then((choice) => {
      if (choice === OPEN) void vscode.commands.executeCommand('vscode.open', uri);
    });
    return saved;
  }

  /** Shows the saved copy in the Explorer, or the stored video in the system's file manager. */
  async reveal(id: string): Promise<void> {
    const record = this.require(id);
    const saved = savedCopyOnDisk(record);
    const file = saved ?? videoOnDisk(record);
    if (saved && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(saved))) {
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(saved));
    } else if (file) {
      await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
    } else {
      void vscode.window.showWarningMessage(vscode.l10n.t('The video of this generation is no longer on disk.'));
    }
  }

  /**
   * Removes a generation from the history and moves its video to the trash. Saved copies are the
   * user's files: they go too only after a confirmation.
   */
  async delete(id: string): Promise<boolean> {
    const record = this.require(id);
    const saved = record.savedFiles.filter((file) => existsSync(file));
    let files = record.file ? [record.file] : [];
    if (saved.length) {
      const names = saved.map((file) => vscode.workspace.asRelativePath(file, false)).join(', ');
      const moveToTrash = vscode.l10n.t('Move to Trash');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete this generation? Its saved video ({0}) and sidecar will be moved to the trash.', names),
        { modal: true },
        moveToTrash,
        vscode.l10n.t('Keep Saved Files'),
      );
      if (!choice) return false;
      if (choice === moveToTrash) files = [...files, ...saved, ...saved.map(sidecarPath).filter((file) => existsSync(file))];
    }
    await this.queue.remove(id);
    for (const file of files.filter((file) => existsSync(file))) {
      await vscode.workspace.fs.delete(vscode.Uri.file(file), { useTrash: true }).then(undefined, () => rm(file, { force: true }));
    }
    return true;
  }

  /** Deletes every video that was never saved (their history stays, so they can be made again). */
  async clearUnsaved(): Promise<number> {
    return (await this.pruneTo(0)).length;
  }

  /** Keeps unsaved videos within `hfVideo.unsavedVideosLimitMB`, oldest removed first; saved ones are never touched. */
  async enforceBudget(): Promise<void> {
    const removed = await this.pruneTo(readJobSettings().unsavedVideosLimitBytes);
    if (removed.length) this.log.info(`Removed ${removed.length} unsaved video(s) to stay within hfVideo.unsavedVideosLimitMB.`);
    await removeStrayPartials(this.videosDir, STRAY_PARTIAL_AGE_MS);
  }

  private async pruneTo(limitBytes: number): Promise<string[]> {
    const removed = await pruneUnsaved(this.queue.list(), limitBytes, (file) => rm(file, { force: true }));
    for (const id of removed) await this.queue.update(id, { file: undefined });
    return removed;
  }

  /** Tells the Explorer's menus which JSON files are sidecars of saved videos. */
  publishSidecars(): Thenable<unknown> {
    const sidecars = this.queue.list().flatMap((record) => record.savedFiles.map(sidecarPath));
    return vscode.commands.executeCommand('setContext', 'hfVideo.sidecars', sidecars);
  }

  private require(id: string): JobRecord {
    const record = this.queue.get(id);
    if (!record) throw new HfVideoError('invalidInput', 'This generation is no longer in the history.');
    return record;
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The workspace folder of the prompt's document, else the first folder; only folders on disk. */
function workspaceFolderOf(record: JobRecord): vscode.WorkspaceFolder | undefined {
  const source = sourceUri(record);
  const folder = (source && vscode.workspace.getWorkspaceFolder(source)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder : undefined;
}
