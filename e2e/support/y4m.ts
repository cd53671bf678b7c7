// A fake camera for Chromium (--use-file-for-fake-video-capture): a Y4M file, a text header and
// raw I420 frames, showing a QR code in black on white. Chromium plays the file in a loop.
import { writeFileSync } from 'node:fs';
import { create } from 'qrcode';

const WIDTH = 640;
const HEIGHT = 480;
const WHITE = 235;
const BLACK = 16;
/** Chroma of grey: no colour. */
const NEUTRAL = 128;

export function writeQrVideo(path: string, text: string, frames = 10): void {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  // Four modules of quiet zone on each side, as large as the frame's height allows.
  const cell = Math.floor(HEIGHT / (size + 8));
  const left = Math.floor((WIDTH - cell * size) / 2);
  const top = Math.floor((HEIGHT - cell * size) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (modules.get(row, col) === 0) continue;
      for (let y = 0; y < cell; y++) {
        const start = (top + row * cell + y) * WIDTH + left + col * cell;
        luma.fill(BLACK, start, start + cell);
      }
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), NEUTRAL);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F5:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
