// The browser tests run under web-test-runner's mocha, whose describe/it/beforeEach are globals.
// (The vitest suites import theirs, which shadow these.)
/// <reference types="mocha" />
