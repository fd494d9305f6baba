import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROMPT_FILE_FIELDS } from '../../src/core/parameterTable';
import { frontMatterKeys, isPromptFileName, parsePromptFile, type PromptFileDiagnostic, type SourceRange } from '../../src/core/promptFile';
import { MAX_PROMPT_LENGTH } from '../../src/core/prompt';

const SAMPLE = join(__dirname, '..', '..', '..', 'media', 'sample.video.md');

function lines(...text: string[]): string {
  return text.join('\n');
}

function range(line: number, start: number, endLine: number, end: number): SourceRange {
  return { start: { line, character: start }, end: { line: endLine, character: end } };
}

/** The one diagnostic of a text, to check its words and its exact place. */
function onlyDiagnostic(text: string, options?: Parameters<typeof parsePromptFile>[1]): PromptFileDiagnostic {
  const { diagnostics } = parsePromptFile(text, options);
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  return diagnostics[0];
}

describe('prompt files', () => {
  describe('prompts', () => {
    it('takes a file without front matter or headings as one prompt', () => {
      const file = parsePromptFile('A red fox jumps over a frozen creek at dawn.\n');
      assert.deepEqual(file.frontMatter, {});
      assert.equal(file.frontMatterRange, undefined);
      assert.equal(file.shots.length, 1);
      assert.deepEqual({ ...file.shots[0], range: undefined }, {
        index: 0,
        values: {},
        prompt: 'A red fox jumps over a frozen creek at dawn.',
        range: undefined,
        promptRange: range(0, 0, 0, 44),
      });
      assert.equal(file.shots[0].name, undefined);
      assert.deepEqual(file.diagnostics, []);
    });

    it('reads the front matter and keeps the title line out of the prompt', () => {
      const file = parsePromptFile(lines('---', 'model: Lightricks/LTX-Video', 'num_frames: 49', '---', '', '# Foxes', '', 'A fox in the snow.', 'It looks up.'));
      assert.deepEqual(file.frontMatter, { model: 'Lightricks/LTX-Video', num_frames: 49 });
      assert.deepEqual(file.frontMatterRange, range(0, 0, 3, 3));
      assert.equal(file.shots[0].prompt, 'A fox in the snow.\nIt looks up.');
      assert.deepEqual(file.shots[0].promptRange, range(7, 0, 8, 12));
      assert.deepEqual(file.diagnostics, []);
    });

    it('makes each ## section a shot, with its own yaml block over the front matter', () => {
      const file = parsePromptFile(
        lines('---', 'seed: 1', '---', '# Film', 'Intro text is not a shot.', '## Opening', 'A harbour at night.', '', '## Close-up ##', '```yaml', 'seed: 2', '```', '', 'A gull on a post.'),
      );
      assert.deepEqual(file.frontMatter, { seed: 1 });
      assert.deepEqual(
        file.shots.map(({ name, index, prompt, values }) => ({ name, index, prompt, values })),
        [
          { name: 'Opening', index: 0, prompt: 'A harbour at night.', values: {} },
          { name: 'Close-up', index: 1, prompt: 'A gull on a post.', values: { seed: 2 } },
        ],
      );
      assert.deepEqual(file.shots[1].range, range(8, 0, 8, 14));
      assert.deepEqual(file.shots[1].promptRange, range(13, 0, 13, 17));
      assert.deepEqual(file.diagnostics, []);
    });

    it('names a shot with an empty heading by its number', () => {
      assert.deepEqual(parsePromptFile(lines('## One', 'a', '##', 'b')).shots.map((shot) => shot.name), ['One', 'Shot 2']);
    });

    it('finds no headings in fenced code or comments, and a yaml block only before the prose', () => {
      const file = parsePromptFile(lines('## Shot', 'Text first.', '```yaml', 'seed: 3', '```', '~~~', '## not a shot', '~~~', '<!--', '## hidden', '-->'));
      assert.equal(file.shots.length, 1);
      assert.deepEqual(file.shots[0].values, {});
      assert.equal(file.shots[0].prompt, lines('Text first.', '```yaml', 'seed: 3', '```', '~~~', '## not a shot', '~~~'));
    });

    it('does not split other text files into shots', () => {
      assert.equal(parsePromptFile('## A\none\n## B\ntwo', { splitShots: false }).shots[0].prompt, '## A\none\n## B\ntwo');
      assert.ok(isPromptFileName('film/Harbour.VIDEO.md'));
      assert.ok(!isPromptFileName('notes.md'));
    });

    it('leaves HTML comments out, on one line or several', () => {
      const file = parsePromptFile(lines('A fox <!-- say red? --> runs', '<!--', 'a note', 'for the writer -->', 'through the snow.'));
      assert.equal(file.shots[0].prompt, 'A fox runs\n\nthrough the snow.');
      assert.deepEqual(file.diagnostics, []);
    });

    it('takes negative_prompt as one text or a list', () => {
      assert.deepEqual(parsePromptFile(lines('---', 'negative_prompt: blurry, text', '---', 'x')).frontMatter, { negative_prompt: 'blurry, text' });
      assert.deepEqual(parsePromptFile(lines('---', 'negative_prompt:', '  - blurry', '  - text', '---', 'x')).frontMatter, { negative_prompt: ['blurry', 'text'] });
    });

    it('reads CRLF files with the same positions', () => {
      const file = parsePromptFile(lines('---', 'num_frames: 5000', '---', '## Shot', 'A fox.').replace(/\n/g, '\r\n'));
      assert.equal(file.shots[0].prompt, 'A fox.');
      assert.deepEqual(file.shots[0].promptRange, range(4, 0, 4, 6));
      assert.deepEqual(file.diagnostics.map((diagnostic) => diagnostic.range), [range(1, 12, 1, 16)]);
    });

    it('keeps unicode prompts as written, with UTF-16 columns', () => {
      const prompt = 'Ein Fuchs 🦊 springt über den Bach — 夜明け.';
      const file = parsePromptFile(lines('---', 'negative_prompt: 文字', '---', '# 🎬', prompt));
      assert.equal(file.shots[0].prompt, prompt);
      assert.deepEqual(file.shots[0].promptRange, range(4, 0, 4, prompt.length));
      assert.deepEqual(file.frontMatter, { negative_prompt: '文字' });
    });

    it('parses the sample film without a problem', () => {
      const file = parsePromptFile(readFileSync(SAMPLE, 'utf8'), { knownPresets: [] });
      assert.deepEqual(file.diagnostics, []);
      assert.ok(file.shots.length >= 3);
      assert.ok(file.shots.every((shot) => shot.name && shot.prompt.length > 50 && !shot.prompt.includes('<!--')));
      assert.ok(file.shots.some((shot) => typeof shot.values.seed === 'number' && shot.values.seed !== file.frontMatter.seed));
      assert.match(String(file.frontMatter.fileNameTemplate), /\$\{shot\}/);
      assert.ok(Array.isArray(file.frontMatter.negative_prompt));
    });
  });

  describe('diagnostics', () => {
    it('points at broken YAML', () => {
      const diagnostic = onlyDiagnostic(lines('---', 'seed: 1', 'seed: 2', '---', 'x'));
      assert.equal(diagnostic.message, 'The front matter is not valid YAML: Map keys must be unique.');
      assert.deepEqual(diagnostic.range, range(2, 0, 2, 1));
      assert.equal(diagnostic.severity, 'error');
    });

    it('wants key: value lines', () => {
      const diagnostic = onlyDiagnostic(lines('---', '- seed', '---', 'x'));
      assert.match(diagnostic.message, /^The front matter must be `key: value` lines/);
      assert.deepEqual(diagnostic.range, range(1, 0, 1, 6));
    });

    it('suggests the key that was meant', () => {
      const cases: Array<[string, string]> = [
        ['num_frame', 'num_frames'],
        ['numFrames', 'num_frames'],
        ['negative', 'negative_prompt'],
        ['Seed', 'seed'],
      ];
      for (const [written, meant] of cases) {
        const diagnostic = onlyDiagnostic(lines('---', `${written}: 1`, '---', 'x'));
        assert.equal(diagnostic.message, `Unknown key \`${written}\`: did you mean \`${meant}\`?`);
        assert.deepEqual(diagnostic.range, range(1, 0, 1, written.length));
        assert.equal(diagnostic.replacement, meant);
        assert.equal(diagnostic.field, written);
      }
      assert.match(onlyDiagnostic(lines('---', 'colour: red', '---', 'x')).message, /^Unknown key `colour`\. The keys are model, provider, num_frames/);
    });

    it('names the key and the table’s rule for a wrong value, at the value', () => {
      const cases: Array<[string, string, SourceRange]> = [
        ['num_frames: 5000', '`num_frames` must be a whole number from 1 to 1000, not 5000', range(1, 12, 1, 16)],
        ['guidance_scale: high', '`guidance_scale` must be a number from 0 to 50, not "high"', range(1, 16, 1, 20)],
        ['provider: fal', '`provider` must be auto or one of fal-ai, replicate, novita, wavespeed, together, not "fal"', range(1, 10, 1, 13)],
        ['model: wan', '`model` must be a Hugging Face model id such as Wan-AI/Wan2.1-T2V-14B (owner/name), not "wan"', range(1, 7, 1, 10)],
        ['autoSave: yes', '`autoSave` must be true or false, not "yes"', range(1, 10, 1, 13)],
        ['extra: [1]', '`extra` must be an object of fields, not [1]', range(1, 7, 1, 10)],
      ];
      for (const [line, message, where] of cases) {
        const diagnostic = onlyDiagnostic(lines('---', line, '---', 'x'));
        assert.equal(diagnostic.message, message);
        assert.deepEqual(diagnostic.range, where);
      }
      const listed = onlyDiagnostic(lines('---', 'negative_prompt:', '  - blurry', '  - 3', '---', 'x'));
      assert.deepEqual(listed.range, range(2, 2, 3, 5));
    });

    it('leaves wrong and empty values out', () => {
      assert.deepEqual(parsePromptFile(lines('---', 'seed: -1', 'num_frames:', 'model: a/b', '---', 'x')).frontMatter, { model: 'a/b' });
    });

    it('checks presets against the known ones', () => {
      const text = lines('---', 'preset: cinematc', '---', 'x');
      const diagnostic = onlyDiagnostic(text, { knownPresets: ['cinematic', 'draft'] });
      assert.equal(diagnostic.message, 'Unknown preset `cinematc`: did you mean `cinematic`?');
      assert.deepEqual(diagnostic.range, range(1, 8, 1, 16));
      assert.equal(diagnostic.replacement, 'cinematic');
      assert.equal(onlyDiagnostic(text, { knownPresets: ['draft'] }).message, 'Unknown preset `cinematc`. The presets are draft.');
      assert.equal(onlyDiagnostic(text, { knownPresets: [] }).message, 'Unknown preset `cinematc`. No presets are defined.');
      assert.deepEqual(parsePromptFile(text).diagnostics, []);
    });

    it('reports an empty shot on its heading, with the shot', () => {
      const diagnostic = onlyDiagnostic(lines('## Opening', '<!-- later -->', '', '## Next', 'A fox.'));
      assert.equal(diagnostic.message, 'The shot "Opening" has no prompt text.');
      assert.deepEqual(diagnostic.range, range(0, 0, 0, 10));
      assert.equal(diagnostic.shot, 0);
    });

    it('reports a file of only front matter', () => {
      const diagnostic = onlyDiagnostic(lines('---', 'seed: 1', '---', ''));
      assert.equal(diagnostic.message, 'The file has no prompt text.');
      assert.deepEqual(diagnostic.range, range(3, 0, 3, 0));
      assert.equal(diagnostic.shot, undefined);
    });

    it('reports a prompt over the limit', () => {
      const diagnostic = onlyDiagnostic(lines('## Long', 'x'.repeat(MAX_PROMPT_LENGTH + 1)));
      assert.equal(diagnostic.message, `The prompt of the shot "Long" is 10,001 characters long; the limit is 10,000.`);
      assert.deepEqual(diagnostic.range, range(1, 0, 1, MAX_PROMPT_LENGTH + 1));
    });

    it('reports a front matter that is never closed', () => {
      const diagnostic = onlyDiagnostic(lines('---', 'seed: 1', 'A fox.'));
      assert.equal(diagnostic.message, 'The front matter is never closed: end it with a line `---`.');
      assert.deepEqual(diagnostic.range, range(0, 0, 0, 3));
    });

    it('reports a shot’s broken or unclosed yaml block at its place', () => {
      const broken = onlyDiagnostic(lines('# Film', '## Opening', '', '```yaml', 'seed: [1', '```', 'A fox.'));
      assert.match(broken.message, /^The yaml block of the shot "Opening" is not valid YAML: /);
      assert.equal(broken.range.start.line, 4);
      assert.equal(broken.shot, 0);
      const wrongValue = onlyDiagnostic(lines('## Opening', '```yaml', 'num_frames: 0', '```', 'A fox.'));
      assert.deepEqual(wrongValue.range, range(2, 12, 2, 13));
      const unclosed = onlyDiagnostic(lines('## Opening', '```yaml', 'seed: 1', 'A fox.'));
      assert.equal(unclosed.message, 'The yaml block of the shot "Opening" is never closed: end it with ```.');
      assert.deepEqual(unclosed.range, range(1, 0, 1, 7));
    });

    it('warns about a comment that is never closed', () => {
      const diagnostic = onlyDiagnostic(lines('A fox.', 'Then <!-- draft', 'more'));
      assert.equal(diagnostic.severity, 'warning');
      assert.deepEqual(diagnostic.range, range(1, 5, 1, 9));
      assert.equal(parsePromptFile(lines('A fox.', 'Then <!-- draft')).shots[0].prompt, 'A fox.\nThen');
    });
  });

  it('offers every table field a prompt file may set for completion, and no setting-only one', () => {
    const keys = frontMatterKeys();
    assert.deepEqual(keys.map((entry) => entry.key), PROMPT_FILE_FIELDS.map((definition) => definition.field));
    assert.ok(!keys.some((entry) => entry.key === 'timeoutMinutes'));
    assert.ok(['preset', 'autoSave', 'num_frames'].every((key) => keys.some((entry) => entry.key === key && entry.description)));
  });
});
