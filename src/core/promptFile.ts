/**
 * Prompt files (`*.video.md`): Markdown whose optional YAML front matter sets generation values and
 * whose body is the prompt, or one prompt per `## heading` (a *shot*) with an optional ```yaml block
 * of its own. Parsing never throws: every problem becomes a diagnostic with its exact position, so the
 * editor squiggles and a run report the same sentences. Positions are 0-based line and UTF-16
 * character, as in VS Code.
 */
import { LineCounter, isMap, isNode, isScalar, parseDocument, stringify } from 'yaml';
import type { Pair } from 'yaml';
import { PROMPT_FILE_FIELDS, checkField } from './parameterTable';
import { MAX_PROMPT_LENGTH } from './prompt';

export interface SourcePosition {
  line: number;
  character: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** Valid values only, by table field name (`num_frames`, `model`, `preset`, `autoSave`…); an empty value counts as not written. */
export interface PromptFileValues {
  [field: string]: unknown;
}

export interface Shot {
  /** The `##` heading's text (`Shot 2` when the heading is empty); undefined for a file without shots. */
  name?: string;
  /** 0-based, in file order. */
  index: number;
  /** The text sent to the model: comments left out, runs of spaces and blank lines collapsed. */
  prompt: string;
  /** The shot's own ```yaml block, to apply over the front matter. */
  values: PromptFileValues;
  /** The heading line; the file's first line for a file without shots. */
  range: SourceRange;
  /** From the first to the last character of prompt text; an empty range where it should start when there is none. */
  promptRange: SourceRange;
}

export interface PromptFileDiagnostic {
  range: SourceRange;
  message: string;
  severity: 'error' | 'warning';
  /** The key the problem is about, as written. */
  field?: string;
  /** The shot the problem belongs to; undefined when it concerns the whole file. */
  shot?: number;
  /** A likely fix: the text to put in place of `range` (a misspelt key or preset). */
  replacement?: string;
}

export interface PromptFile {
  frontMatter: PromptFileValues;
  /** From the opening to the closing `---` line. */
  frontMatterRange?: SourceRange;
  /** At least one: a file without `##` headings (or not split into shots) is one shot without a name. */
  shots: Shot[];
  diagnostics: PromptFileDiagnostic[];
}

export interface PromptFileOptions {
  /** The preset names that exist; without them presets are not checked. */
  knownPresets?: readonly string[];
  /** Whether `##` headings start shots: true for `*.video.md` (see isPromptFileName), false for any other text. */
  splitShots?: boolean;
}

export function isPromptFileName(fileName: string): boolean {
  return fileName.toLowerCase().endsWith('.video.md');
}

/** The keys a front matter or shot block accepts, for completion. */
export function frontMatterKeys(): Array<{ key: string; description: string }> {
  return PROMPT_FILE_FIELDS.map(({ field, description }) => ({ key: field, description }));
}

/** A whole prompt file: the values as front matter (none when empty), then the prompt. */
export function promptFileSnippet(values: PromptFileValues, prompt: string): string {
  const yaml = yamlOf(values);
  return `${yaml ? `---\n${yaml}---\n\n` : ''}${prompt.trim()}\n`;
}

/** A shot to add at the end of a prompt file: its heading, its values as a ```yaml block (none when empty), its prompt. */
export function shotSnippet(name: string, values: PromptFileValues, prompt: string): string {
  const yaml = yamlOf(values);
  return `## ${name.replace(/\s+/g, ' ').trim()}\n\n${yaml ? `\`\`\`yaml\n${yaml}\`\`\`\n\n` : ''}${prompt.trim()}\n`;
}

/** Only keys a prompt file may set, with a value: what the parser reads back as the same values. */
function yamlOf(values: PromptFileValues): string {
  const known = Object.fromEntries(PROMPT_FILE_FIELDS.filter(({ field }) => values[field] !== undefined && values[field] !== '').map(({ field }) => [field, values[field]]));
  return Object.keys(known).length ? stringify(known, { lineWidth: 0 }) : '';
}

export function parsePromptFile(text: string, options: PromptFileOptions = {}): PromptFile {
  // VS Code drops the byte order mark from a document's text; doing the same keeps the columns equal.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const diagnostics: PromptFileDiagnostic[] = [];
  const reader = new ValueReader(lines, diagnostics, options.knownPresets);

  const frontMatter = readFrontMatter(lines, reader, diagnostics);
  const body = maskComments(lines, frontMatter.bodyStart, diagnostics);
  const headings = options.splitShots === false ? [] : findShotHeadings(body, frontMatter.bodyStart);
  const shots = headings.length
    ? headings.map((heading, index) => readShot(body, heading, headings[index + 1]?.line ?? lines.length, index, reader, diagnostics))
    : [readWholeBody(body, frontMatter.bodyStart)];
  for (const shot of shots) checkPrompt(shot, diagnostics);

  return { frontMatter: frontMatter.values, frontMatterRange: frontMatter.range, shots, diagnostics };
}

// ---------------------------------------------------------------------------------------------------
// Front matter

const FRONT_MATTER_FENCE = /^---[ \t]*$/;
const FRONT_MATTER_END = /^(---|\.\.\.)[ \t]*$/;

function readFrontMatter(lines: string[], reader: ValueReader, diagnostics: PromptFileDiagnostic[]): { values: PromptFileValues; range?: SourceRange; bodyStart: number } {
  if (!FRONT_MATTER_FENCE.test(lines[0])) return { values: {}, bodyStart: 0 };
  const closing = lines.findIndex((line, index) => index > 0 && FRONT_MATTER_END.test(line));
  if (closing < 0) {
    diagnostics.push(error(lineRange(lines, 0), 'The front matter is never closed: end it with a line `---`.'));
    return { values: {}, bodyStart: 1 };
  }
  const values = reader.read(1, closing, { where: 'The front matter' });
  return { values, range: spanRange(lines, 0, closing), bodyStart: closing + 1 };
}

// ---------------------------------------------------------------------------------------------------
// Body

/**
 * The lines with every HTML comment blanked out (same length, so positions hold), for finding
 * headings and prompt text. An unclosed comment runs to the end of the file, as in Markdown.
 */
function maskComments(lines: string[], bodyStart: number, diagnostics: PromptFileDiagnostic[]): string[] {
  const bodyText = lines.slice(bodyStart).join('\n');
  const masked = bodyText.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment, offset: number) => {
    if (!comment.endsWith('-->')) {
      const before = bodyText.slice(0, offset).split('\n');
      const start = { line: bodyStart + before.length - 1, character: before[before.length - 1].length };
      diagnostics.push(warning({ start, end: { line: start.line, character: start.character + 4 } }, 'This comment is never closed (`-->`): everything after it is left out of the prompt.'));
    }
    return comment.replace(/[^\n]/g, ' ');
  });
  return [...lines.slice(0, bodyStart), ...masked.split('\n')];
}

interface Fence {
  marker: string;
  info: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

function openingFence(line: string): Fence | undefined {
  const match = FENCE_OPEN.exec(line);
  // A backtick fence's info string may not hold a backtick (CommonMark).
  if (!match || (match[1][0] === '`' && match[2].includes('`'))) return undefined;
  return { marker: match[1], info: match[2].trim() };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!match && match[1][0] === fence.marker[0] && match[1].length >= fence.marker.length;
}

interface ShotHeading {
  line: number;
  name: string;
}

const SHOT_HEADING = /^ {0,3}##(?:[ \t]+(.*?))?[ \t]*$/;

/** Level-2 ATX headings outside fenced code and comments. */
function findShotHeadings(body: string[], bodyStart: number): ShotHeading[] {
  const headings: ShotHeading[] = [];
  let fence: Fence | undefined;
  for (let line = bodyStart; line < body.length; line++) {
    if (fence) {
      if (closesFence(body[line], fence)) fence = undefined;
      continue;
    }
    fence = openingFence(body[line]);
    const match = fence ? undefined : SHOT_HEADING.exec(body[line]);
    // A closing sequence of #s is not part of the heading's text (CommonMark).
    if (match) headings.push({ line, name: (match[1] ?? '').replace(/(^|[ \t]+)#+$/, '').trim() });
  }
  return headings;
}

function readShot(body: string[], heading: ShotHeading, end: number, index: number, reader: ValueReader, diagnostics: PromptFileDiagnostic[]): Shot {
  const name = heading.name || `Shot ${index + 1}`;
  let promptStart = heading.line + 1;
  let values: PromptFileValues = {};
  const blockStart = firstTextLine(body, promptStart, end);
  const fence = blockStart < end ? openingFence(body[blockStart]) : undefined;
  if (fence && /^ya?ml$/i.test(fence.info)) {
    const blockEnd = body.findIndex((line, lineIndex) => lineIndex > blockStart && lineIndex < end && closesFence(line, fence));
    if (blockEnd < 0) {
      // The section stays prompt text, so this one error is all the shot reports.
      diagnostics.push({ ...error(lineRange(body, blockStart), `The yaml block of the shot "${name}" is never closed: end it with ${fence.marker}.`), shot: index });
    } else {
      values = reader.read(blockStart + 1, blockEnd, { where: `The yaml block of the shot "${name}"`, shot: index });
      promptStart = blockEnd + 1;
    }
  }
  return { name, index, values, range: lineRange(body, heading.line), ...readPrompt(body, promptStart, end) };
}

/** A file without shots: all of the body but a leading `# title` line. */
function readWholeBody(body: string[], bodyStart: number): Shot {
  const first = firstTextLine(body, bodyStart, body.length);
  const promptStart = first < body.length && /^ {0,3}#(?:[ \t]|$)/.test(body[first]) ? first + 1 : bodyStart;
  return { index: 0, values: {}, range: lineRange(body, 0), ...readPrompt(body, promptStart, body.length) };
}

function readPrompt(body: string[], start: number, end: number): { prompt: string; promptRange: SourceRange } {
  const first = firstTextLine(body, start, end);
  let last = end - 1;
  while (last >= first && !body[last].trim()) last--;
  if (first > last) {
    const at = { line: Math.min(start, body.length - 1), character: 0 };
    return { prompt: '', promptRange: { start: at, end: at } };
  }
  const prompt = body
    .slice(first, last + 1)
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  return { prompt, promptRange: { start: { line: first, character: body[first].search(/\S/) }, end: { line: last, character: body[last].trimEnd().length } } };
}

function firstTextLine(body: string[], start: number, end: number): number {
  let line = start;
  while (line < end && !body[line].trim()) line++;
  return line;
}

function checkPrompt(shot: Shot, diagnostics: PromptFileDiagnostic[]): void {
  const named = shot.name !== undefined;
  const shotIndex = named ? shot.index : undefined;
  if (!shot.prompt) {
    const message = named ? `The shot "${shot.name}" has no prompt text.` : 'The file has no prompt text.';
    diagnostics.push({ ...error(named ? shot.range : shot.promptRange, message), shot: shotIndex });
  } else if (shot.prompt.length > MAX_PROMPT_LENGTH) {
    const subject = named ? `The prompt of the shot "${shot.name}"` : 'The prompt';
    const message = `${subject} is ${shot.prompt.length.toLocaleString('en-US')} characters long; the limit is ${MAX_PROMPT_LENGTH.toLocaleString('en-US')}.`;
    diagnostics.push({ ...error(shot.promptRange, message), shot: shotIndex });
  }
}

// ---------------------------------------------------------------------------------------------------
// YAML values

interface BlockContext {
  /** Starts a sentence: "The front matter", "The yaml block of the shot "Opening"". */
  where: string;
  shot?: number;
}

/** Reads a YAML block of `key: value` lines, checking every key and value against the parameter table. */
class ValueReader {
  constructor(
    private readonly lines: string[],
    private readonly diagnostics: PromptFileDiagnostic[],
    private readonly knownPresets: readonly string[] | undefined,
  ) {}

  /** Lines [first, end) of the file; values with a problem are reported and left out. */
  read(first: number, end: number, context: BlockContext): PromptFileValues {
    // Joined with \n whatever the file uses, so the YAML offsets map onto our lines one to one.
    const source = this.lines.slice(first, end).join('\n');
    const lineCounter = new LineCounter();
    const document = parseDocument(source, { lineCounter, prettyErrors: false });
    const toPosition = (offset: number): SourcePosition => {
      const { line, col } = lineCounter.linePos(offset);
      return { line: first + line - 1, character: col - 1 };
    };
    const rangeOf = ([start, stop]: readonly number[]): SourceRange => {
      // A block node's range runs on to the next line; the squiggle should stop at its last character.
      let trimmed = stop;
      while (trimmed > start && /\s/.test(source[trimmed - 1])) trimmed--;
      return { start: toPosition(start), end: toPosition(trimmed) };
    };
    const report = (range: SourceRange, message: string, extra: Partial<PromptFileDiagnostic> = {}) =>
      this.diagnostics.push({ ...error(range, message), shot: context.shot, ...extra });

    if (document.errors.length) {
      for (const problem of document.errors) report(rangeOf(problem.pos), `${context.where} is not valid YAML: ${problem.message}.`);
      return {};
    }
    const contents = document.contents;
    if (contents === null) return {};
    if (!isMap(contents)) {
      report(rangeOf(contents.range ?? [0, source.length]), `${context.where} must be \`key: value\` lines, such as \`num_frames: 81\`.`);
      return {};
    }
    const values: PromptFileValues = {};
    for (const pair of contents.items as Array<Pair<unknown, unknown>>) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyRange = rangeOf(isNode(pair.key) && pair.key.range ? pair.key.range : [0, 0]);
      const definition = PROMPT_FILE_FIELDS.find((candidate) => candidate.field === key);
      if (!definition) {
        const suggestion = suggestKey(key);
        report(keyRange, `Unknown key \`${key}\`${suggestion ? `: did you mean \`${suggestion}\`?` : `. The keys are ${PROMPT_FILE_FIELDS.map((field) => field.field).join(', ')}.`}`, { field: key, replacement: suggestion });
        continue;
      }
      const value = isNode(pair.value) ? pair.value.toJS(document) : pair.value;
      const valueRange = isNode(pair.value) && pair.value.range ? rangeOf(pair.value.range) : keyRange;
      const problem = checkField(definition, value);
      if (problem) {
        report(valueRange, `\`${key}\` ${problem.problem}`, { field: key });
      } else if (key === 'preset' && typeof value === 'string' && this.knownPresets && !this.knownPresets.includes(value)) {
        const suggestion = closest(value, this.knownPresets);
        const known = this.knownPresets.length ? `The presets are ${this.knownPresets.join(', ')}.` : 'No presets are defined.';
        report(valueRange, `Unknown preset \`${value}\`${suggestion ? `: did you mean \`${suggestion}\`?` : `. ${known}`}`, { field: key, replacement: suggestion });
      } else if (value !== null && value !== undefined) {
        values[key] = value;
      }
    }
    return values;
  }
}

/** The field meant by an unknown key: a setting's name (`numFrames`) or a near miss (`num_frame`, `negative`). */
function suggestKey(key: string): string | undefined {
  const bySetting = PROMPT_FILE_FIELDS.find((definition) => definition.settingKey === key);
  return bySetting?.field ?? closest(key, PROMPT_FILE_FIELDS.map((definition) => definition.field));
}

/** The candidate within two edits of `word`, or that it starts (case aside); undefined when none is close. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate ?? (lower.length >= 3 ? candidates.find((candidate) => candidate.toLowerCase().startsWith(lower)) : undefined);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

// ---------------------------------------------------------------------------------------------------
// Ranges and diagnostics

function lineRange(lines: string[], line: number): SourceRange {
  return { start: { line, character: 0 }, end: { line, character: lines[line].length } };
}

function spanRange(lines: string[], firstLine: number, lastLine: number): SourceRange {
  return { start: { line: firstLine, character: 0 }, end: { line: lastLine, character: lines[lastLine].length } };
}

function error(range: SourceRange, message: string): PromptFileDiagnostic {
  return { range, message, severity: 'error' };
}

function warning(range: SourceRange, message: string): PromptFileDiagnostic {
  return { range, message, severity: 'warning' };
}
