/**
 * custom-elements.json, the elements' contract for IDEs, docs and the generated JSX, Vue and
 * Svelte typings: it is what `npm run manifest` makes of the code today, and it names everything
 * the code offers. Attributes and properties are read from the classes themselves (imported in
 * Node); events, parts and CSS properties from the source of each element and the files it loads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PropertyDeclaration } from 'lit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ELEMENTS = ['client-reset-panel', 'forgot-password-form', 'force-reset-dialog'] as const;

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  members?: Array<{ name: string; kind: string; static?: boolean }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}
interface Manifest {
  modules: Array<{ path: string; declarations: Declaration[] }>;
}

let manifest: Manifest;
beforeAll(async () => {
  manifest = JSON.parse(await readFile(path.join(ROOT, 'custom-elements.json'), 'utf8')) as Manifest;
});

function declarationOf(tag: string): Declaration {
  const found = manifest.modules.flatMap((mod) => mod.declarations).find((d) => d.tagName === tag);
  if (!found) throw new Error(`custom-elements.json has no <${tag}>`);
  return found;
}

/** The widget files an element's module loads, statically or on demand (its lock dialog), but not the language packs. */
async function filesOf(entry: string): Promise<string[]> {
  const seen = new Set<string>();
  const visit = async (file: string) => {
    if (seen.has(file) || file.includes(`${path.sep}locales${path.sep}`)) return;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)\.js'/g))
      await visit(path.resolve(path.dirname(file), `${spec}.ts`));
  };
  await visit(path.join(ROOT, 'widget', entry, `${entry}.ts`));
  return [...seen];
}

async function usedIn(entry: string, pattern: RegExp): Promise<string[]> {
  const found = new Set<string>();
  for (const file of await filesOf(entry))
    for (const match of (await readFile(file, 'utf8')).matchAll(pattern)) found.add(match[1]);
  return [...found].sort();
}

const names = (items: Array<{ name: string }> | undefined) => (items ?? []).map((item) => item.name).sort();

describe('custom-elements.json', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'cem-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('is what the analyzer makes of the code today (run `npm run manifest` after changing an element)', async () => {
    await promisify(execFile)(
      process.execPath,
      // The analyzer resolves --outdir from the working directory.
      [
        path.join(ROOT, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
        'analyze',
        '--outdir',
        path.relative(ROOT, scratch),
      ],
      { cwd: ROOT, env: { ...process.env, CEM_TYPES_DIR: path.join(scratch, 'types') } },
    );
    const fresh = await readFile(path.join(scratch, 'custom-elements.json'), 'utf8');
    expect(JSON.parse(fresh)).toEqual(manifest);
  }, 60_000);

  describe.each(ELEMENTS)('<%s>', (tag) => {
    it('lists every public property and attribute of the class', async () => {
      await import('../../widget/index.js');
      const element = customElements.get(tag) as unknown as {
        elementProperties: Map<string, PropertyDeclaration>;
      };
      const declaration = declarationOf(tag);
      const members = names(declaration.members as Array<{ name: string }>);
      const attributes = names(declaration.attributes);
      for (const [property, options] of element.elementProperties) {
        if (options.state) continue;
        expect(members, `property ${property}`).toContain(property);
        if (options.attribute === false) continue;
        const attribute = typeof options.attribute === 'string' ? options.attribute : property.toLowerCase();
        expect(attributes, `attribute ${attribute}`).toContain(attribute);
      }
    });

    it('lists every event, part and CSS custom property its code uses', async () => {
      const declaration = declarationOf(tag);
      expect(names(declaration.events)).toEqual(await usedIn(tag, /emit\(this, '([\w-]+)'/g));
      expect(names(declaration.cssParts)).toEqual(await usedIn(tag, /\bpart=["']?([\w-]+)/g));
      expect(names(declaration.cssProperties)).toEqual(await usedIn(tag, /var\((--reset-[\w-]+)/g));
    });
  });
});
