// "Also held from C" in the words of docs/FORMAT.md ("Held-from-C roots"): a fact beside an object's
// Python owners, never instead of them. Retainer paths name those owners; this says what they cannot.
import { formatCount } from './format';

/** "3 references the dump cannot see". */
export function unseenReferences(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'reference' : 'references'} the dump cannot see`;
}

/** "also held from C (3 references the dump cannot see)": the row marker's accessible name. */
export function heldFromCText(n: number): string {
  return `also held from C (${unseenReferences(n)})`;
}

/**
 * The inspector's fact: "also: 3 references the dump cannot see" beside Python owners, "only: …"
 * when the file's strong references (`refcount - n`) are none.
 */
export function heldFromCFact(n: number, refcount: number): string {
  return `${refcount - n > 0 ? 'also' : 'only'}: ${unseenReferences(n)}`;
}

/**
 * The inspector's Dominator line for an object C holds when no object dominates it (its dominator is
 * all roots, or the held-from-C group): C's references are why no single owner would free it.
 */
export function heldFromCDominator(n: number, refcount: number): string {
  return refcount - n > 0
    ? 'held from C code as well as by Python: no single owner'
    : 'held from C code only: no Python owner';
}

/**
 * Why the number matters, for tooltips. `refcount` is the object's whole count: what the file's
 * strong references leave of it is what C holds, so `refcount - n` Python references were found.
 */
export function heldFromCExplanation(n: number, refcount?: number): string {
  const found = refcount === undefined ? null : refcount - n;
  const owners =
    found === null
      ? 'Retainer paths show its Python owners, if it has any.'
      : found === 0
        ? 'No Python object in the snapshot refers to it, so its retainer paths start at the object itself.'
        : 'Retainer paths show its Python owners.';
  return (
    `C code (an extension module or the interpreter) holds ${formatCount(n)} more ` +
    `${n === 1 ? 'reference' : 'references'} to this object than the Python objects in the snapshot ` +
    'account for. It stays alive even if every Python owner lets go of it, so freeing those owners ' +
    `would not free it. ${owners}`
  );
}
