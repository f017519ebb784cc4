import { useEffect } from 'react';
import { redo, undo, useEditor } from '../store/editor-store';
import { usePlayback } from '../store/playback-store';
import { useApp } from '../store/app-store';
import { locate } from '../model/timeline-index';
import { pause, shuttle, stepFrames, togglePlay } from '../preview/player-control';
import { saveProject } from '../app/session';

/** True when the key belongs to a text field (typing must never trigger editor shortcuts). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'range', 'button', 'submit', 'color', 'file'].includes(target.type);
  }
  return false;
}

/** Editor keyboard: Space, J/K/L, I/O, S, Delete, ←/→, Ctrl/Cmd+Z, Shift+Z, Ctrl/Cmd+S. */
export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void saveProject();
        return;
      }
      if (isTyping(e.target)) return;
      if (useApp.getState().dialog !== 'none') return;
      if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
        return;
      }
      if (mod && key === 'y') {
        e.preventDefault();
        redo();
        return;
      }
      if (mod || e.altKey) return;
      const editor = useEditor.getState();
      const playhead = usePlayback.getState().playhead;
      switch (e.key) {
        case ' ':
          e.preventDefault();
          togglePlay();
          break;
        case 'j':
        case 'J':
          shuttle(-1);
          break;
        case 'k':
        case 'K':
          pause();
          break;
        case 'l':
        case 'L':
          shuttle(1);
          break;
        case 'i':
        case 'I':
        case 'o':
        case 'O': {
          const edge = key === 'i' ? 'in' : 'out';
          const at = locate(editor.segments, playhead);
          if (!at) break;
          const sel = editor.selection;
          const target = sel.kind === 'segments' && sel.ids.length === 1 ? sel.ids[0] : editor.segments[at.segmentIndex].id;
          const segment = editor.segments.find((s) => s.id === target);
          // The playhead must be over the segment being trimmed.
          if (!segment || editor.segments[at.segmentIndex].id !== segment.id) break;
          editor.trimSegment(segment.id, edge, at.sourceTime);
          if (edge === 'in') usePlayback.getState().seek(at.segmentStart);
          break;
        }
        case 's':
        case 'S':
          editor.splitAtTime(playhead);
          break;
        case 'Delete':
        case 'Backspace':
          e.preventDefault();
          editor.deleteSelection();
          break;
        case 'ArrowLeft':
          e.preventDefault();
          stepFrames(e.shiftKey ? -10 : -1);
          break;
        case 'ArrowRight':
          e.preventDefault();
          stepFrames(e.shiftKey ? 10 : 1);
          break;
        case 'Home':
          usePlayback.getState().seek(0);
          break;
        case 'Escape':
          editor.select({ kind: 'none' });
          break;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
