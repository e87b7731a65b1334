// The first module of the extension bundle to run (extension.ts imports it first): when loading began, so that the
// logged activation time includes evaluating the bundle's modules, not only activate(). Reading and compiling the
// file happen before any of it runs; VS Code's own figure ("Developer: Show Running Extensions") includes them.
export const loadStarted = performance.now();
