/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Frame times while the view moves: the page pans (or zooms) once per animation frame, as a drag or a
// wheel does, and records the interval between animation frames and the board layer's own draw time.
import type { Page } from '../../../../test/helpers/chromium';
import type { HookWindow } from './hook';
import { percentile } from './stats';

export type Motion = 'pan' | 'zoom';

export interface FrameRun {
  label: string;
  frames: number;
  visibleCards: number;
  rafP50: number;
  rafP95: number;
  drawP50: number;
  drawP95: number;
  /** Share of frames in which the board layer was drawn in full (the rest moved the last drawing). */
  fullDrawShare: number;
}

export interface FrameSamples {
  deltas: number[];
  draws: number[];
  visible: number[];
}

/** Moves the view once per frame for `frames` frames and returns the raw samples. */
export async function sampleFrames(page: Page, motion: Motion, frames: number): Promise<FrameSamples> {
  return page.evaluate(
    async ({ motion, frames }) => {
      const hook = (window as unknown as HookWindow).__redstring;
      const deltas: number[] = [];
      const draws: number[] = [];
      const visible: number[] = [];
      const start = hook.canvas.getViewport();
      let last = performance.now();
      let drawsSeen = hook.stats().draws;
      await new Promise<void>((resolve) => {
        let i = 0;
        const step = (now: number) => {
          if (i > 0) {
            deltas.push(now - last);
            const s = hook.stats();
            // Only frames in which the board was drawn carry a fresh draw time (a frame draws at most once).
            if (s.draws !== drawsSeen) draws.push(s.lastDrawMs);
            drawsSeen = s.draws;
            visible.push(s.visibleCards);
          }
          last = now;
          if (i++ >= frames) return resolve();
          const v = hook.canvas.getViewport();
          if (motion === 'pan') {
            const angle = (i / 60) * Math.PI;
            hook.canvas.setViewport({ ...v, x: v.x + Math.cos(angle) * 12, y: v.y + Math.sin(angle) * 8 });
          } else {
            // Zoom in and out around the screen centre (as wheel/pinch does around the cursor).
            const factor = Math.sin((i / frames) * Math.PI * 4) > 0 ? 1.02 : 1 / 1.02;
            const cx = window.innerWidth / 2;
            const cy = window.innerHeight / 2;
            const scale = v.scale * factor;
            hook.canvas.setViewport({ scale, x: cx - ((cx - v.x) / v.scale) * scale, y: cy - ((cy - v.y) / v.scale) * scale });
          }
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      hook.canvas.setViewport(start);
      // Let the view settle (full-quality redraw) before the next run.
      await new Promise((r) => setTimeout(r, 400));
      return { deltas, draws, visible };
    },
    { motion, frames },
  );
}

export async function measureFrames(page: Page, label: string, motion: Motion, frames: number): Promise<FrameRun> {
  const s = await sampleFrames(page, motion, frames);
  return {
    label,
    frames,
    visibleCards: Math.round(s.visible.reduce((a, b) => a + b, 0) / Math.max(1, s.visible.length)),
    rafP50: percentile(s.deltas, 50),
    rafP95: percentile(s.deltas, 95),
    drawP50: percentile(s.draws, 50),
    drawP95: percentile(s.draws, 95),
    fullDrawShare: s.draws.length / Math.max(1, s.deltas.length),
  };
}
