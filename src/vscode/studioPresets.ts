import * as vscode from 'vscode';
import { presetNames } from '../core/presets';
import type { StudioPreset } from '../shared/protocol';
import { SETTINGS } from './settings';

/** Which settings.json a preset is written to. */
export type PresetTarget = 'user' | 'workspace';

const TARGETS: Record<PresetTarget, vscode.ConfigurationTarget> = { user: vscode.ConfigurationTarget.Global, workspace: vscode.ConfigurationTarget.Workspace };

/** The presets that apply to `scope` (user and workspace merged), with their values as written. */
export function studioPresets(scope?: vscode.Uri): StudioPreset[] {
  const presets = vscode.workspace.getConfiguration(SETTINGS.section, scope).get<Record<string, unknown>>(SETTINGS.presets);
  return presetNames(presets).map((name) => {
    const values = presets![name];
    return { name, values: values && typeof values === 'object' && !Array.isArray(values) ? (values as Record<string, unknown>) : {} };
  });
}

/** Where a preset is defined: the workspace's wins, as it does when settings merge; undefined when nowhere. */
export function presetTarget(name: string): PresetTarget | undefined {
  const inspected = vscode.workspace.getConfiguration(SETTINGS.section).inspect<Record<string, unknown>>(SETTINGS.presets);
  if (inspected?.workspaceValue && Object.hasOwn(inspected.workspaceValue, name)) return 'workspace';
  if (inspected?.globalValue && Object.hasOwn(inspected.globalValue, name)) return 'user';
  return undefined;
}

/** Writes (or replaces) one preset in the user's or the workspace's `hfVideo.presets`, keeping the others as they are. */
export async function writePreset(name: string, values: Record<string, unknown>, target: PresetTarget): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS.section);
  const inspected = config.inspect<Record<string, unknown>>(SETTINGS.presets);
  const existing = (target === 'user' ? inspected?.globalValue : inspected?.workspaceValue) ?? {};
  await config.update(SETTINGS.presets, { ...existing, [name]: values }, TARGETS[target]);
}

/** Asks for the new preset's name (an existing one is replaced only when the user says so) and where it goes. */
export async function askNewPreset(suggestion: string): Promise<{ name: string; target: PresetTarget } | undefined> {
  const name = (
    await vscode.window.showInputBox({
      title: vscode.l10n.t('Save as Preset'),
      prompt: vscode.l10n.t('The preset’s name in hfVideo.presets'),
      value: suggestion,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Give the preset a name, or press Escape to cancel.')),
    })
  )?.trim();
  if (!name) return undefined;
  if (presetTarget(name)) {
    const replace = vscode.l10n.t('Replace');
    if ((await vscode.window.showWarningMessage(vscode.l10n.t('A preset named "{0}" exists. Replace it?', name), { modal: true }, replace)) !== replace) return undefined;
  }
  if (!vscode.workspace.workspaceFolders?.length) return { name, target: 'user' };
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('User Settings'), description: vscode.l10n.t('for every workspace'), target: 'user' as const },
      { label: vscode.l10n.t('Workspace Settings'), description: vscode.l10n.t('for this workspace, shared with it'), target: 'workspace' as const },
    ],
    { title: vscode.l10n.t('Save Preset "{0}" in', name), ignoreFocusOut: true },
  );
  return picked && { name, target: picked.target };
}
