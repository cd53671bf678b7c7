// Redraws at most once per animation frame: any number of invalidate() calls between two frames
// (hundreds of seat changes, pointer moves) cost one draw.
export class FrameScheduler {
  private handle: number | null = null;

  constructor(
    private readonly draw: () => void,
    private readonly request: (callback: () => void) => number = (cb) => requestAnimationFrame(cb),
    private readonly cancel: (handle: number) => void = (h) => cancelAnimationFrame(h),
  ) {}

  invalidate(): void {
    if (this.handle !== null) return;
    this.handle = this.request(() => {
      this.handle = null;
      this.draw();
    });
  }

  dispose(): void {
    if (this.handle !== null) this.cancel(this.handle);
    this.handle = null;
  }
}
