/**
 * custom-elements.json (`npm run manifest`): the elements' public API, read from their JSDoc and
 * Lit properties, with the JSX, Vue and Svelte typings generated from it into dist/types.
 * `test/package/custom-elements-manifest.test.ts` checks it is current and complete.
 */
import process from 'node:process';
import { jsxTypesPlugin } from '@wc-toolkit/jsx-types';
import { customElementVuejsPlugin } from 'custom-element-vuejs-integration';
import { customElementSveltePlugin } from 'custom-element-svelte-integration';

const PUBLIC_ELEMENTS = ['client-reset-panel', 'forgot-password-form', 'force-reset-dialog'];
// The test that checks the manifest is current writes them elsewhere (CEM_TYPES_DIR).
const TYPES_DIR = process.env.CEM_TYPES_DIR ?? 'dist/types';
/** Each element's class, from the typings' folder (dist/types) to its compiled declarations. */
const componentTypePath = (_name, tag) => `../widget/${tag}/${tag}.js`;

/**
 * Keeps what an integrator can use: the three public elements (not the panel's internal lock
 * dialog or the shared base class), and of their Lit properties the public ones. Internal state
 * (`state: true`, private and protected fields) is not an attribute anyone may set.
 */
function publicApiOnly() {
  /** Per class: the reactive properties its own `static properties` makes public (no `state: true`). */
  const ownPublic = new Map();
  return {
    name: 'public-api-only',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const properties = node.members.find(
        (member) =>
          ts.isPropertyDeclaration(member) &&
          member.name.getText() === 'properties' &&
          member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword),
      );
      if (!properties?.initializer || !ts.isObjectLiteralExpression(properties.initializer)) return;
      const names = properties.initializer.properties
        .filter(
          (entry) => ts.isPropertyAssignment(entry) && !/\bstate:\s*true\b/.test(entry.initializer.getText()),
        )
        .map((entry) => entry.name.getText().replace(/^['"]|['"]$/g, ''));
      ownPublic.set(node.name.getText(), new Set(names));
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        mod.declarations = (mod.declarations ?? []).filter(
          (declaration) => !declaration.customElement || PUBLIC_ELEMENTS.includes(declaration.tagName),
        );
        mod.exports = (mod.exports ?? []).filter(
          (entry) => entry.kind !== 'custom-element-definition' || PUBLIC_ELEMENTS.includes(entry.name),
        );
        for (const declaration of mod.declarations) {
          if (!declaration.customElement) continue;
          // A subclass may publish what its base keeps protected (the dialog's `identifier`); the
          // analyzer would keep the base's privacy.
          const published = ownPublic.get(declaration.name) ?? new Set();
          for (const member of declaration.members ?? [])
            if (published.has(member.name)) member.privacy = 'public';
          const isPublic = (member) => member.privacy !== 'private' && member.privacy !== 'protected';
          declaration.members = (declaration.members ?? []).filter(isPublic);
          const fields = new Set(declaration.members.map((member) => member.name));
          declaration.attributes = (declaration.attributes ?? []).filter((attribute) =>
            fields.has(attribute.fieldName),
          );
        }
      }
      // The elements' modules and the entry that exports all three; helpers are not API.
      // In path order: the analyzer reads files in whatever order the file system lists them.
      customElementsManifest.modules = customElementsManifest.modules
        .filter(
          (mod) =>
            mod.path === 'widget/index.ts' ||
            mod.declarations.some((declaration) => declaration.customElement),
        )
        .sort((a, b) => a.path.localeCompare(b.path));
    },
  };
}

/** The package ships compiled modules: every `path` and `module` names the file in dist/. */
function shippedPaths() {
  const shipped = (value) => value.replace(/^\/?widget\/(.*)\.[jt]s$/, 'dist/widget/$1.js');
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'path' || key === 'module') && typeof value === 'string') node[key] = shipped(value);
        else walk(value);
      }
  };
  return {
    name: 'shipped-paths',
    packageLinkPhase: ({ customElementsManifest }) => walk(customElementsManifest),
  };
}

/**
 * React 19 and Preact read JSX element types from their own module: one file each that adds the
 * three tags there, so an app writes `import type {} from 'client-reset/react'` once.
 */
function jsxFrameworkTypes() {
  const augment = (module, note) => `// ${note}
import type { CustomElements } from './jsx.js';

declare module '${module}' {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
}
`;
  return {
    name: 'jsx-framework-types',
    async packageLinkPhase() {
      const { mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(TYPES_DIR, { recursive: true });
      await writeFile(
        `${TYPES_DIR}/react.d.ts`,
        augment(
          'react',
          "The elements in React 19's JSX: `import type {} from 'client-reset/react';` once in the app.",
        ),
      );
      await writeFile(
        `${TYPES_DIR}/preact.d.ts`,
        augment(
          'preact',
          "The elements in Preact's JSX: `import type {} from 'client-reset/preact';` once in the app.",
        ),
      );
    },
  };
}

export default {
  globs: ['widget/**/*.ts'],
  exclude: ['widget/locales/**', 'widget/pages/**'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest itself; a run with another --outdir must not rewrite it.
  packagejson: false,
  plugins: [
    publicApiOnly(),
    shippedPaths(),
    jsxFrameworkTypes(),
    jsxTypesPlugin({ outdir: TYPES_DIR, fileName: 'jsx.d.ts', componentTypePath }),
    customElementVuejsPlugin({ outdir: TYPES_DIR, fileName: 'vue.d.ts', componentTypePath }),
    customElementSveltePlugin({ outdir: TYPES_DIR, fileName: 'svelte.d.ts', componentTypePath }),
  ],
};
