// A text message framed once as WebSocket bytes (RFC 6455, section 5.2), so that a flush to
// thousands of sockets frames it once and each socket writes one Buffer: one system call, where
// ws's Sender writes the header and the payload as two buffers (a writev per socket).

/** A text message, and the same message as one whole, unmasked server frame. */
export interface TextFrame {
  readonly payload: Buffer;
  /** Header + payload: what goes on the wire. */
  readonly wire: Buffer;
}

/** FIN (a whole message in one frame) and opcode 1 (text). */
const FIN_TEXT = 0x81;

export function textFrame(text: string): TextFrame {
  const length = Buffer.byteLength(text);
  // The payload length takes 7 bits, or 126 and 16 bits, or 127 and 64 bits; no mask bit.
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(headerLength + length);
  wire[0] = FIN_TEXT;
  if (headerLength === 2) {
    wire[1] = length;
  } else if (headerLength === 4) {
    wire[1] = 126;
    wire.writeUInt16BE(length, 2);
  } else {
    wire[1] = 127;
    wire.writeBigUInt64BE(BigInt(length), 2);
  }
  wire.write(text, headerLength);
  return { payload: wire.subarray(headerLength), wire };
}
