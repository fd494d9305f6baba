import { HfVideoError } from './errors';

export const MAX_PROMPT_LENGTH = 10_000;

export function validatePrompt(prompt: string): string {
  const trimmed = prompt.trim();
  if (!trimmed) {
    throw new HfVideoError('invalidInput', 'The prompt is empty: select some text that describes the video first.');
  }
  if (trimmed.length > MAX_PROMPT_LENGTH) {
    throw new HfVideoError('invalidInput', `The prompt is ${trimmed.length.toLocaleString('en-US')} characters long; the limit is ${MAX_PROMPT_LENGTH.toLocaleString('en-US')}. Select a shorter text.`);
  }
  return trimmed;
}
