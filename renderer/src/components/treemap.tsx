// Treemap of retained size over a dominator subtree, laid out by d3-hierarchy. A rectangle's area is
// what freeing that object would free; children sit inside their dominator. Click selects, double
// click zooms in. Rendered as positioned divs: cheap for the few hundred rectangles shown.
import type { DominatorTreeNode, ObjectRow } from '@shared/contract';
import { type HierarchyRectangularNode, hierarchy, treemap, treemapSquarify } from 'd3-hierarchy';
import { useEffect, useMemo, useRef, useState } from 'react';
import { exactBytes, formatBytes } from '../lib/format';
import { shortType } from './object-cells';

/** A chart cell: an object from the subtree, or the folded rest of a node's children. */
interface Cell {
  row: ObjectRow | null;
  /** Retained bytes of this cell, and of the folded rest when `row` is null. */
  size: number;
  otherCount: number;
  children: Cell[];
}

interface TreemapProps {
  data: DominatorTreeNode;
  selected: number | null;
  onSelect: (row: ObjectRow) => void;
  onZoom: (row: ObjectRow) => void;
}

export function Treemap({ data, selected, onSelect, onZoom }: TreemapProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const rects = useMemo(() => layout(toCells(data), size.width, size.height), [data, size]);

  return (
    <div className="treemap" ref={ref} data-testid="treemap">
      {rects.map((r) => {
        const cell = r.data;
        const w = r.x1 - r.x0;
        const h = r.y1 - r.y0;
        const name = cell.row === null ? otherName(cell) : cellName(cell.row);
        const isSel = cell.row !== null && cell.row.node === selected;
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: the table beside it is the keyboard route
          // biome-ignore lint/a11y/useKeyWithClickEvents: same
          <div
            key={cell.row === null ? `other-${r.parent?.data.row?.node}` : cell.row.node}
            className={`tm-cell depth-${Math.min(r.depth, 4)} ${cell.row === null ? 'other' : ''} ${isSel ? 'selected' : ''}`}
            style={{
              left: r.x0,
              top: r.y0,
              width: w,
              height: h,
              background: cell.row === null ? undefined : colorFor(cell.row.type, r.depth),
            }}
            title={`${cell.row === null ? name : `${cell.row.type} ${cell.row.label} @${cell.row.address}`}\nretained ${exactBytes(cell.size)}`}
            data-testid={cell.row === null ? 'treemap-other' : `treemap-cell-${cell.row.node}`}
            onClick={(e) => {
              e.stopPropagation();
              if (cell.row !== null) onSelect(cell.row);
            }}
            onDoubleClick={(e) => {
              e.stopPropagation();
              if (cell.row !== null && cell.row.dominatedCount > 0) onZoom(cell.row);
            }}
          >
            {w > 44 && h > 14 && (
              <span className="tm-label">
                {name} <span className="tm-size">{formatBytes(cell.size)}</span>
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** "2,988 more, ~2.11 KB each": how many were folded and how big they are on average. */
function otherName(cell: Cell): string {
  const each = cell.otherCount > 0 ? formatBytes(cell.size / cell.otherCount) : '';
  return `${cell.otherCount.toLocaleString('en-US')} more, ~${each} each`;
}

/** `dict ['CATALOGUE']`: the type and its label, or else how it is held (set by the view when known). */
function cellName(row: ObjectRow & { heldAs?: string }): string {
  if (row.kind !== 'object') return row.label || row.type;
  const name = row.label || row.heldAs;
  return name ? `${shortType(row.type)} ${name}` : shortType(row.type);
}

/** Converts the server's nested tree (bounded by its depth argument) with an explicit stack. */
function toCells(root: DominatorTreeNode): Cell {
  const top: Cell = { row: root.row, size: root.row.retained, otherCount: 0, children: [] };
  const stack: [DominatorTreeNode, Cell][] = [[root, top]];
  while (stack.length > 0) {
    const [node, cell] = stack.pop()!;
    for (const child of node.children) {
      const c: Cell = { row: child.row, size: child.row.retained, otherCount: 0, children: [] };
      cell.children.push(c);
      stack.push([child, c]);
    }
    // Folded children still get a (hatched) cell, so a node whose children are all small reads as
    // "1,500 smaller" rather than as a leaf.
    if (node.otherRetained > 0 && node.otherCount > 0) {
      cell.children.push({ row: null, size: node.otherRetained, otherCount: node.otherCount, children: [] });
    }
  }
  return top;
}

function layout(root: Cell, width: number, height: number): HierarchyRectangularNode<Cell>[] {
  if (width < 10 || height < 10) return [];
  // d3 sums values up the tree, so each cell contributes only what its shown children do not cover.
  const h = hierarchy(root, (c) => c.children).sum((c) => {
    const inChildren = c.children.reduce((s, k) => s + k.size, 0);
    return Math.max(0, c.size - inChildren);
  });
  h.sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const laidOut = treemap<Cell>()
    .tile(treemapSquarify)
    .size([width, height])
    .paddingOuter(2)
    .paddingTop((n) => (n.depth === 0 ? 0 : 16))
    .paddingInner(1)
    .round(true)(h);
  return laidOut.descendants().filter((n) => n.depth > 0 && n.x1 - n.x0 >= 3 && n.y1 - n.y0 >= 3);
}

/** Stable hue per type so one type reads as one colour across zooms; deeper levels are lighter. */
function colorFor(type: string, depth: number): string {
  let hash = 0;
  for (let i = 0; i < type.length; i++) hash = (hash * 31 + type.charCodeAt(i)) | 0;
  const hue = Math.abs(hash) % 360;
  return `hsl(${hue} var(--tm-sat) calc(var(--tm-light) + ${depth * 6}%))`;
}
