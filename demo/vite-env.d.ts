/** Vite's client types for the demo pages' build-time features (`import.meta.glob`, `?raw`). */
/// <reference types="vite/client" />
