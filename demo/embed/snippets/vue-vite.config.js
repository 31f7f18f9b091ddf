/** vite.config.js of a Vue app that uses the elements: Vue leaves their tags to the browser. */
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Named one by one: a blanket `tag.includes('-')` would also catch kebab-case Vue components
// such as <router-link>.
const elements = ['client-reset-panel', 'forgot-password-form', 'force-reset-dialog'];

export default defineConfig({
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => elements.includes(tag) } } })],
});
