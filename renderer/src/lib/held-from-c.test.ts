import { describe, expect, it } from 'vitest';
import {
  heldFromCDominator,
  heldFromCExplanation,
  heldFromCFact,
  heldFromCText,
  unseenReferences,
} from './held-from-c';

describe('held from C wording', () => {
  it('counts the references the dump cannot see, singular and plural, grouped', () => {
    expect(unseenReferences(1)).toBe('1 reference the dump cannot see');
    expect(unseenReferences(3)).toBe('3 references the dump cannot see');
    expect(heldFromCText(12000)).toBe('also held from C (12,000 references the dump cannot see)');
  });

  it('says "also" beside Python references and "only" when the file has none', () => {
    expect(heldFromCFact(3, 4)).toBe('also: 3 references the dump cannot see');
    expect(heldFromCFact(2, 2)).toBe('only: 2 references the dump cannot see');
    expect(heldFromCDominator(3, 4)).toBe('held from C code as well as by Python: no single owner');
    expect(heldFromCDominator(2, 2)).toBe('held from C code only: no Python owner');
  });

  it('says that C keeps the object alive and where its Python owners are shown', () => {
    const text = heldFromCExplanation(2, 5);
    expect(text).toContain('holds 2 more references');
    expect(text).toContain('even if every Python owner lets go');
    expect(text).toContain('Retainer paths show its Python owners.');
  });

  it('says so when no Python object in the snapshot refers to it', () => {
    const text = heldFromCExplanation(1, 1);
    expect(text).toContain('holds 1 more reference to');
    expect(text).toContain('No Python object in the snapshot refers to it');
    expect(text).not.toContain('show its Python owners');
    // A row's marker has no refcount to tell: it hedges.
    expect(heldFromCExplanation(1)).toContain('Retainer paths show its Python owners, if it has any.');
  });
});
