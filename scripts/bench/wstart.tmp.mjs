import { Worker } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
register();
const api = import.meta.resolve('tsx/esm/api');
const entry = new URL('../../src/cli/workers/batchEvaluator.ts', import.meta.url).href;
const n = Number(process.argv[2] ?? 1);
const start = performance.now();
const times = await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
  const bootstrap = `const t0 = performance.now(); import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); if (process.env.NOSM) process.setSourceMapsEnabled(false); const t1 = performance.now(); return import(${JSON.stringify(entry)}).then(() => require('node:worker_threads').parentPort.postMessage([t1 - t0, performance.now() - t1])); });`;
  const w = new Worker(bootstrap, { eval: true });
  w.on('message', (m) => { resolve([...m, performance.now() - start]); w.terminate(); });
})));
console.log(n, 'workers', JSON.stringify(times.map((t) => t.map((x) => Math.round(x)))));
