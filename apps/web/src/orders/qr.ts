// A ticket's QR code as a PNG data URL (the content policy allows data: images). Level M
// survives a scuffed phone screen or a creased print-out; the 4-module quiet zone is what
// scanners need around the code. qrcode loads with the first order page, not with the seat map.
export async function qrDataUrl(code: string): Promise<string> {
  const { toDataURL } = await import('qrcode');
  return toDataURL(code, { errorCorrectionLevel: 'M', margin: 4, width: 440 });
}
