// appendStep tries its two rarer folds only when the text around the last separator allows them
// (it runs once per distinct step of every heap's signatures). It must fold exactly as the plain
// definition below does, also for labels that contain the signature's own punctuation.
import { describe, expect, it } from 'vitest';
import { appendStep, SIG_SEPARATOR } from './signature';

/** The definition: each fold tested on the whole text. */
function reference(prefix: string, step: string): string {
  const sep = SIG_SEPARATOR;
  if (prefix.endsWith(`${sep}${step}+`)) return prefix;
  if (prefix.endsWith(`${sep}${step}`)) return `${prefix}+`;
  const last = prefix.lastIndexOf(sep);
  if (last < 0) return `${prefix}${sep}${step}`;
  const a = prefix.slice(last + sep.length);
  const before = prefix.slice(0, last);
  if (before.endsWith(`${sep}(${a} ⁝ ${step})+`)) return before;
  const tail = `${sep}${a}${sep}${step}${sep}${a}`;
  if (prefix.endsWith(tail) && a !== step) return `${prefix.slice(0, -tail.length)}${sep}(${a} ⁝ ${step})+`;
  return `${prefix}${sep}${step}`;
}

describe('appendStep', () => {
  it('folds as the plain definition on random step sequences, odd labels included', () => {
    const common = ['.next:Node', "['next']:dict", '.__dict__:dict'];
    const odd = ['A+', '+', ')+', '(A', 'A ⁝ B', 'B)', `x${SIG_SEPARATOR}A`, 'A)+', ''];
    let seed = 7;
    const pick = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let folds = 0;
    for (let trial = 0; trial < 20000; trial++) {
      let text = ['module app', '', 'x)+', `m${SIG_SEPARATOR}`][pick(4)];
      for (let i = 0, n = 1 + pick(10); i < n; i++) {
        const step = pick(3) === 0 ? [...common, ...odd][pick(common.length + odd.length)] : common[pick(2)];
        const want = reference(text, step);
        expect(appendStep(text, step)).toBe(want);
        expect(appendStep(text, step, `${SIG_SEPARATOR}${step}`)).toBe(want);
        if (want.length <= text.length) folds++;
        text = want;
      }
    }
    expect(folds).toBeGreaterThan(1000);
  });
});
