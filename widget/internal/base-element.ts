/**
 * The elements' custom-element base: Lit's templates (`lit/html.js`) rendered by a small reactive
 * element with LitElement's lifecycle names.
 *
 * Why not LitElement itself: its reactive layer (attribute converters and reflection for every
 * type, controllers, decorator metadata, polyfill hooks, dev-mode checks) weighs about 2 KB gzip,
 * and each element has a size budget of 11 KB gzip in all. These elements use a small part of it
 * — string and boolean attributes, state that re-renders, `willUpdate` / `updated`, `updateComplete`,
 * a shadow root with one stylesheet or none — and that part is what this class provides, under
 * the same names, so going back to LitElement would be a change of `extends` and imports.
 */
import { render, type TemplateResult } from 'lit/html.js';

/** How a property is declared in `static properties`; `state` and `attribute: false` have no attribute. */
export interface PropertyOptions {
  attribute?: string | boolean;
  state?: boolean;
  /** `Boolean`: present or absent attribute. Anything else is a string attribute. */
  type?: BooleanConstructor;
}

export type PropertyDeclarations = Record<string, PropertyOptions>;

/** The properties that changed since the last render, with their previous values. */
export type PropertyValues = Map<PropertyKey, unknown>;

/** A `css` tag that returns the text as written (the build minifies what it tags). */
export const css = (strings: TemplateStringsArray): string => strings.join('');

const sheets = new Map<string, CSSStyleSheet>();

/** A constructable stylesheet for this CSS text, built once and shared by every root that adopts it. */
export function sheetFor(text: string): CSSStyleSheet {
  let sheet = sheets.get(text);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    sheets.set(text, sheet);
  }
  return sheet;
}

/** Per class: each declared property, the attribute that sets it (null: none) and whether it is a boolean. */
type Declared = Map<string, [attribute: string | null, boolean: boolean]>;

export abstract class BaseElement extends HTMLElement {
  /** The reactive properties; a subclass's table adds to (and may redeclare) its base's. */
  static properties: PropertyDeclarations = {};
  /** CSS of the shadow root, for elements that have one. */
  static styles?: string;

  /** Every declared property of this class, its accessors defined; built on first use. */
  static #declared = new WeakMap<object, Declared>();

  static #declarations(of: typeof BaseElement): Declared {
    let declared = BaseElement.#declared.get(of);
    if (declared) return declared;
    const base = Object.getPrototypeOf(of) as typeof BaseElement;
    declared = new Map(base.prototype instanceof BaseElement ? BaseElement.#declarations(base) : []);
    if (Object.hasOwn(of, 'properties'))
      for (const [name, options] of Object.entries(of.properties)) {
        const attribute =
          options.state || options.attribute === false
            ? null
            : typeof options.attribute === 'string'
              ? options.attribute
              : name.toLowerCase();
        declared.set(name, [attribute, options.type === Boolean]);
        Object.defineProperty(of.prototype, name, {
          get(this: BaseElement) {
            return this.#values.get(name);
          },
          set(this: BaseElement, value: unknown) {
            const old = this.#values.get(name);
            if (Object.is(old, value)) return;
            this.#values.set(name, value);
            this.requestUpdate(name, old);
          },
        });
      }
    BaseElement.#declared.set(of, declared);
    return declared;
  }

  /** Read by `customElements.define`: the attributes of every declared property. */
  static get observedAttributes(): string[] {
    return [...BaseElement.#declarations(this).values()]
      .map(([attribute]) => attribute)
      .filter((attribute): attribute is string => !!attribute);
  }

  #values = new Map<string, unknown>();
  #changed: PropertyValues = new Map();
  #pending: Promise<void> | null = null;
  /** Values a page set on the element before it was defined: they win over the constructor's defaults. */
  #early = new Map<string, unknown>();

  /** Where `render()` goes: the shadow root, or the element itself (see `createRenderRoot`). */
  declare renderRoot: HTMLElement | ShadowRoot;

  constructor() {
    super();
    const own = this as unknown as Record<string, unknown>;
    for (const name of BaseElement.#declarations(this.constructor as typeof BaseElement).keys())
      if (Object.hasOwn(this, name)) {
        this.#early.set(name, own[name]);
        delete own[name];
      }
  }

  #properties(): Declared {
    return BaseElement.#declarations(this.constructor as typeof BaseElement);
  }

  /** An open shadow root with the class's `styles`; return `this` to render into the light DOM. */
  protected createRenderRoot(): HTMLElement | ShadowRoot {
    const root = this.attachShadow({ mode: 'open' });
    const styles = (this.constructor as typeof BaseElement).styles;
    if (styles) root.adoptedStyleSheets = [sheetFor(styles)];
    return root;
  }

  connectedCallback(): void {
    if (this.renderRoot) return;
    this.renderRoot = this.createRenderRoot();
    for (const [name, value] of this.#early) (this as unknown as Record<string, unknown>)[name] = value;
    this.#early.clear();
    this.requestUpdate();
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    for (const [name, [declared, boolean]] of this.#properties())
      if (declared === attribute)
        (this as unknown as Record<string, unknown>)[name] = boolean ? value !== null : value;
  }

  /** Schedules a render in a microtask (many changes, one render); `name` records what changed. */
  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined && !this.#changed.has(name)) this.#changed.set(name, old);
    // Before the first connection changes are only recorded: the first render includes them.
    if (this.#pending || !this.renderRoot) return;
    this.#pending = Promise.resolve().then(() => this.#update());
  }

  /** Resolves once no render is pending (including renders that `updated` asked for). */
  get updateComplete(): Promise<boolean> {
    return this.#pending ? this.#pending.then(() => this.updateComplete) : Promise.resolve(true);
  }

  #update(): void {
    const changed = this.#changed;
    try {
      // Changes made by `willUpdate` and `render` are part of this render.
      this.willUpdate(changed);
      render(this.render(), this.renderRoot, { host: this });
    } finally {
      this.#changed = new Map();
      this.#pending = null;
    }
    // Changes made here ask for another render.
    this.updated(changed);
  }

  /** Before each render: derive state from what changed. */
  protected willUpdate(_changed: PropertyValues): void {}

  /** After each render: work on the rendered DOM (focus, dialogs). */
  protected updated(_changed: PropertyValues): void {}

  protected abstract render(): TemplateResult | unknown;
}
