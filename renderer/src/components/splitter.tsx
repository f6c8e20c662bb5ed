// A drag handle between two panes. It reports movement only; the owner decides the sizes and limits.
import type { MouseEvent } from 'react';

interface SplitterProps {
  /** 'x' resizes widths (a vertical bar), 'y' heights (a horizontal bar). */
  axis: 'x' | 'y';
  onDrag: (delta: number) => void;
  /** A double-click: back to the default size. */
  onReset?: () => void;
  label: string;
  testId?: string;
}

export function Splitter({ axis, onDrag, onReset, label, testId }: SplitterProps) {
  const start = (e: MouseEvent) => {
    e.preventDefault();
    let last = axis === 'x' ? e.clientX : e.clientY;
    const move = (ev: globalThis.MouseEvent) => {
      const now = axis === 'x' ? ev.clientX : ev.clientY;
      onDrag(now - last);
      last = now;
    };
    const stop = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', stop);
      document.body.classList.remove('resizing');
    };
    document.body.classList.add('resizing');
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', stop);
  };
  // A mouse-only affordance (aria-hidden): the panes keep sensible sizes without it.
  return (
    <div
      className={`splitter splitter-${axis}`}
      onMouseDown={start}
      onDoubleClick={onReset}
      title={label}
      aria-hidden
      data-testid={testId}
    />
  );
}
