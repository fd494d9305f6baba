import * as vscode from 'vscode';
import { presetNames } from '../core/presets';
import { commandResult, selectedText } from './commands/generateCommands';
import type { Generations } from './generations';
import { SETTINGS } from './settings';

const NO_PRESET = vscode.l10n.t('No preset');

interface PresetItem extends vscode.QuickPickItem {
  preset?: string;
}

/** The presets that apply to `scope`, each with what it sets, for a quick pick. */
function presetItems(scope: vscode.Uri | undefined): PresetItem[] {
  const presets = vscode.workspace.getConfiguration(SETTINGS.section, scope).get<Record<string, Record<string, unknown>>>(SETTINGS.presets) ?? {};
  return presetNames(presets).map((preset) => ({
    preset,
    label: preset,
    detail: Object.entries(presets[preset] ?? {})
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' · '),
  }));
}

/** Presets are written in settings.json, or saved from the studio's form. */
function noPresets(): void {
  const studio = vscode.l10n.t('Open Video Studio');
  void vscode.window.showInformationMessage(vscode.l10n.t('No presets are defined yet: add some to hfVideo.presets in settings.json, or save one from the Video Studio.'), vscode.l10n.t('Open settings.json'), studio).then((choice) => {
    if (choice === studio) void vscode.commands.executeCommand('hfVideo.openStudio');
    else if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: `${SETTINGS.section}.${SETTINGS.presets}`, edit: true } });
  });
}

/**
 * "Generate Video with Preset…" (palette, editor context menu) and the status bar item that shows the
 * default preset and model; clicking it picks the default preset for this workspace.
 */
export function registerPresets(generations: Generations): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('hfVideo.preset', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('Hugging Face Video Preset');
  item.command = 'hfVideo.pickDefaultPreset';
  const update = () => {
    const scope = vscode.window.activeTextEditor?.document.uri;
    const config = vscode.workspace.getConfiguration(SETTINGS.section, scope);
    const preset = config.get<string>(SETTINGS.defaultPreset, '').trim();
    const presets = config.get<Record<string, { model?: string }>>(SETTINGS.presets) ?? {};
    const model = presets[preset]?.model ?? config.get<string>(SETTINGS.model, '');
    item.text = `$(device-camera-video) ${preset || NO_PRESET} · ${model.split('/').pop()}`;
    item.tooltip = preset
      ? vscode.l10n.t('Hugging Face video: preset "{0}", model {1}. Click to choose the default preset for this workspace.', preset, model)
      : vscode.l10n.t('Hugging Face video: no preset, model {0}. Click to choose the default preset for this workspace.', model);
    item.show();
  };
  update();
  return [
    item,
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(SETTINGS.section) && update()),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.commands.registerCommand('hfVideo.generateWithPreset', async (preset?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const scope = editor?.document.uri;
      const items = presetItems(scope);
      if (!items.length) return noPresets();
      const picked = typeof preset === 'string' ? preset : (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Generate Video with Preset'), placeHolder: vscode.l10n.t('Pick a preset') }))?.preset;
      if (!picked) return undefined;
      const text = editor && selectedText(editor);
      const prompt = text || (await vscode.window.showInputBox({ title: vscode.l10n.t('Generate Video with "{0}"', picked), prompt: vscode.l10n.t('Describe the video'), ignoreFocusOut: true }));
      if (!prompt) return undefined;
      return commandResult(await generations.generate(prompt, { uri: scope, kind: text ? 'selection' : 'input' }, { preset: picked }));
    }),
    vscode.commands.registerCommand('hfVideo.pickDefaultPreset', async () => {
      const scope = vscode.window.activeTextEditor?.document.uri;
      const items = presetItems(scope);
      if (!items.length) return noPresets();
      const studio: PresetItem = { label: vscode.l10n.t('$(device-camera-video) Open Video Studio'), detail: vscode.l10n.t('Write a prompt, change any value and generate, in one panel.') };
      const picked = await vscode.window.showQuickPick<PresetItem>([{ label: NO_PRESET, detail: vscode.l10n.t('Only the settings apply.') }, ...items, { label: '', kind: vscode.QuickPickItemKind.Separator }, studio], {
        title: vscode.l10n.t('Default Preset for This Workspace'),
        placeHolder: vscode.l10n.t('Generations without a chosen preset use this one'),
      });
      if (!picked) return undefined;
      if (picked === studio) return vscode.commands.executeCommand('hfVideo.openStudio');
      // Written for this workspace; with no folder open, for the user.
      const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await vscode.workspace.getConfiguration(SETTINGS.section).update(SETTINGS.defaultPreset, picked.preset ?? '', target);
      return picked.preset ?? '';
    }),
  ];
}
