// The camera as a QR reader: the environment-facing camera into a <video>, and a few frames a
// second drawn to a small canvas and given to jsQR. A few frames a second is plenty for a
// ticket held up to a phone, and leaves the CPU to the rest of the page.
import jsQR from 'jsqr';

const FRAME_MS = 200;
/** Frames are scaled down to this width: jsQR's cost grows with the pixels. */
const MAX_WIDTH = 640;

export interface CameraReader {
  stop(): void;
}

export async function startCamera(
  video: HTMLVideoElement,
  onCode: (code: string) => void,
): Promise<CameraReader> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: 'environment' } },
    audio: false,
  });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const timer = setInterval(() => {
    if (context === null || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
    const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (width === 0 || height === 0) return;
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const frame = context.getImageData(0, 0, width, height);
    const found = jsQR(frame.data, width, height, { inversionAttempts: 'dontInvert' });
    if (found !== null && found.data !== '') onCode(found.data);
  }, FRAME_MS);
  return {
    stop() {
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
