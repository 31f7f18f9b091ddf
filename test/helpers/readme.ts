/** The README's code, as an integrator would copy it: the first block of a language after a marker. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The first ```lang block after `<!-- marker -->`. */
export async function readmeSnippet(marker: string, lang: 'ts' | 'tsx' | 'vue' | 'sh'): Promise<string> {
  const readme = await readFile(readmePath, 'utf8');
  const at = readme.indexOf(`<!-- ${marker} -->`);
  const code =
    at === -1 ? undefined : new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme.slice(at))?.[1];
  if (!code) throw new Error(`the README has no ${lang} block after <!-- ${marker} -->`);
  return code;
}
