// What the runners that start a real VS Code share: temporary folders, the sample workspace, the
// settings that point the extension at the emulator, and a stack of clean-up steps.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The token the emulator accepts in tests (fake: it only ever goes to 127.0.0.1). */
export const TEST_TOKEN = 'hf_emulatorTestTokenForHarness';
/** A token the emulated Hub accepts and its router refuses (403): one without the Inference Providers permission. */
export const TEST_READ_ONLY_TOKEN = 'hf_emulatorReadOnlyTokenForHarness';

export const SAMPLE_PROMPT = 'A red fox trotting through fresh snow at sunrise, cinematic, slow motion';

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hfv-${prefix}-`));
}

/** A fresh workspace folder holding a sample prompt.txt. */
export function createWorkspace(): string {
  const folder = makeTempDir('workspace');
  writeFileSync(join(folder, 'prompt.txt'), SAMPLE_PROMPT + '\n');
  return folder;
}

/** User settings that point the extension at an emulator instead of Hugging Face. */
export function emulatorSettings(emulatorUrl: string): Record<string, unknown> {
  return { 'hfVideo.routerUrl': emulatorUrl, 'hfVideo.hubUrl': emulatorUrl };
}

/** Clean-up steps, run last-in first-out; a failing step does not stop the others. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  removeDir(dir: string): string {
    this.add(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        console.error('clean-up step failed:', error);
      }
    }
  }
}

/** Rejects after `ms` with a message naming what took too long. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
