// Every link in README.md and docs/ leads somewhere: a relative link names a file of the repository,
// and a `#fragment` names a heading of the page it points into (GitHub's heading anchors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks, where links and headings are. */
const prose = (text: string) => text.split(/^```.*$/m).filter((_, i) => i % 2 === 0).join('\n');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-');

const anchorsOf = (path: string) => new Set([...prose(readFileSync(join(root, path), 'utf8')).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]!)));

test('README.md stays an entry page (about 300 lines); the rest is in docs/', () => {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n').length;
  assert.ok(lines <= 330, `README.md has ${lines} lines`);
});

for (const page of pages) {
  test(`every link in ${page} resolves`, () => {
    const broken: string[] = [];
    for (const [, target] of prose(readFileSync(join(root, page), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [path, fragment] = target!.split('#') as [string, string | undefined];
      const file = path === '' ? page : relative(root, join(root, dirname(page), path));
      if (!existsSync(join(root, file))) broken.push(`${target} (no file ${file})`);
      else if (fragment !== undefined && file.endsWith('.md') && !anchorsOf(file).has(fragment)) broken.push(`${target} (no heading #${fragment} in ${file})`);
    }
    assert.deepEqual(broken, []);
  });
}
