// State every sortable, filterable table keeps: which column sorts it, and the filter text typed
// versus the filter sent (debounced, so typing a name is one server query, not one per key).
import type { SortDir } from '@shared/contract';
import { useEffect, useState } from 'react';

export interface SortState<K extends string> {
  key: K;
  dir: SortDir;
}

/**
 * Clicking the sorted column flips it; a new column starts ascending for the keys in `ascending`
 * (names, distances: A and near first), descending for the others (sizes: big first).
 */
export function useSortState<K extends string>(initial: SortState<K>, ascending: readonly K[]) {
  const [sort, setSort] = useState<SortState<K>>(initial);
  const onSort = (key: string) => {
    const k = key as K;
    setSort((s) => ({
      key: k,
      dir: s.key === k ? (s.dir === 'desc' ? 'asc' : 'desc') : ascending.includes(k) ? 'asc' : 'desc',
    }));
  };
  return { sort, onSort };
}

export function useDebouncedFilter(delayMs = 150) {
  const [filterText, setFilterText] = useState('');
  const [filter, setFilter] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setFilter(filterText.trim()), delayMs);
    return () => clearTimeout(t);
  }, [filterText, delayMs]);
  return { filterText, setFilterText, filter };
}
