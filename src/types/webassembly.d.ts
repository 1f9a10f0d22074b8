// The part of the WebAssembly JavaScript API that Node has and that gitops-gate uses
// (src/manifests/conftest-wasm). TypeScript declares it only in its DOM and web worker
// libraries, and @types/node 20 does not; this keeps the project's lib to ES2023.
declare namespace WebAssembly {
  type ImportValue = (...args: never[]) => unknown;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  class RuntimeError extends Error {}
}
