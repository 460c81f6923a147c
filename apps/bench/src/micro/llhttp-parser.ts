import { createRequire } from 'node:module';

/**
 * Drives llhttp, the parser inside undici, directly: the same WebAssembly
 * binary undici loads (`undici/lib/llhttp/llhttp_simd-wasm.js`, falling back
 * to the non-SIMD build as undici does). undici has no public parser API and
 * its `Parser` class is bound to a socket and client, so this driver does
 * what that class does per message and no more: copy the bytes into wasm
 * memory, execute, and turn the status reason and each header name/value
 * slice into strings (what a client must hand its user), counting body
 * bytes. It is a lower bound for undici's own parsing cost.
 */
export interface LlhttpResult {
  status: number;
  reason: string;
  headers: string[];
  bodyBytes: number;
  complete: boolean;
}

interface LlhttpExports {
  memory: WebAssembly.Memory;
  llhttp_alloc(type: number): number;
  llhttp_execute(parser: number, data: number, length: number): number;
  malloc(size: number): number;
  free(pointer: number): void;
}

const require = createRequire(import.meta.url);
const RESPONSE = 2;
const OK = 0;

export function createLlhttpParser(): (bytes: Uint8Array) => LlhttpResult {
  let result: LlhttpResult = { status: 0, reason: '', headers: [], bodyBytes: 0, complete: false };
  let memory: Buffer = Buffer.alloc(0);
  let lastWasName = false;
  const text = (at: number, length: number) => memory.toString('latin1', at, at + length);
  const imports = {
    env: {
      wasm_on_url: () => 0,
      wasm_on_status: (_parser: number, at: number, length: number) => {
        result.reason += text(at, length);
        return 0;
      },
      wasm_on_message_begin: () => 0,
      wasm_on_header_field: (_parser: number, at: number, length: number) => {
        // A name split across two reads arrives in two callbacks: join them.
        if (lastWasName) result.headers[result.headers.length - 1] += text(at, length);
        else result.headers.push(text(at, length));
        lastWasName = true;
        return 0;
      },
      wasm_on_header_value: (_parser: number, at: number, length: number) => {
        if (lastWasName) result.headers.push(text(at, length));
        else result.headers[result.headers.length - 1] += text(at, length);
        lastWasName = false;
        return 0;
      },
      wasm_on_headers_complete: (_parser: number, status: number) => {
        result.status = status;
        return 0;
      },
      wasm_on_body: (_parser: number, _at: number, length: number) => {
        result.bodyBytes += length;
        return 0;
      },
      wasm_on_message_complete: () => {
        result.complete = true;
        return 0;
      },
    },
  };
  const instance = new WebAssembly.Instance(loadModule(), imports);
  const llhttp = instance.exports as unknown as LlhttpExports;
  const parser = llhttp.llhttp_alloc(RESPONSE);
  let bufferSize = 0;
  let bufferPointer = 0;

  return (bytes) => {
    if (bytes.length > bufferSize) {
      if (bufferPointer !== 0) llhttp.free(bufferPointer);
      bufferSize = Math.ceil(bytes.length / 4096) * 4096;
      bufferPointer = llhttp.malloc(bufferSize);
    }
    if (memory.buffer !== llhttp.memory.buffer) memory = Buffer.from(llhttp.memory.buffer);
    memory.set(bytes, bufferPointer);
    result = { status: 0, reason: '', headers: [], bodyBytes: 0, complete: false };
    lastWasName = false;
    const code = llhttp.llhttp_execute(parser, bufferPointer, bytes.length);
    if (code !== OK) throw new Error(`llhttp error ${code}`);
    return result;
  };
}

function loadModule(): WebAssembly.Module {
  try {
    return new WebAssembly.Module(require('undici/lib/llhttp/llhttp_simd-wasm.js') as Buffer<ArrayBuffer>);
  } catch {
    return new WebAssembly.Module(require('undici/lib/llhttp/llhttp-wasm.js') as Buffer<ArrayBuffer>);
  }
}
