import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFigures, staticImportsOf } from './bundleFigures';

describe('staticImportsOf', () => {
  it('reads the static imports of minified output, not the dynamic ones', () => {
    const code = 'import{a as e}from"./index-A1.js";import"./side-B2.js";const t=()=>import("./DetailsPanel-C3.js");export{x}from"./model-D4.js";';
    expect(staticImportsOf(code)).toEqual(['index-A1.js', 'side-B2.js', 'model-D4.js']);
  });
});

describe('bundleFigures', () => {
  it('counts in the first load what index.html loads and what that imports statically; the rest comes later', () => {
    const dist = mkdtempSync(join(tmpdir(), 'vfmap-bundle-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<script type="module" crossorigin src="/assets/early-1.js"></script><script type="module" crossorigin src="/assets/index-2.js"></script><link rel="modulepreload" crossorigin href="/assets/model-3.js">',
    );
    writeFileSync(join(dist, 'assets', 'early-1.js'), 'import"./model-3.js";');
    writeFileSync(join(dist, 'assets', 'index-2.js'), 'import{a}from"./shared-4.js";const d=()=>import("./Details-5.js");');
    writeFileSync(join(dist, 'assets', 'model-3.js'), 'export const m=1;');
    writeFileSync(join(dist, 'assets', 'shared-4.js'), 'export const a=1;');
    writeFileSync(join(dist, 'assets', 'Details-5.js'), 'import{a}from"./shared-4.js";import"./dialog-6.js";export const D=a;'.repeat(20));
    writeFileSync(join(dist, 'assets', 'dialog-6.js'), 'export const g=2;');
    writeFileSync(join(dist, 'assets', 'index-7.css'), 'body{margin:0}');
    const f = bundleFigures(dist);
    expect(f.firstLoadFiles).toEqual(['early-1.js', 'index-2.js', 'model-3.js', 'shared-4.js']);
    expect(f.laterFiles).toBe(2);
    expect(f.firstLoadGzip).toBeGreaterThan(0);
    expect(f.laterGzip).toBeGreaterThan(0);
    expect(f.cssGzip).toBeGreaterThan(0);
  });

  it('says so when index.html names no script', () => {
    const dist = mkdtempSync(join(tmpdir(), 'vfmap-bundle-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<p>nothing</p>');
    expect(() => bundleFigures(dist)).toThrow(/names no script/);
  });
});
