/**
 * Draws the app icons (a brick firewall on the accent blue) as SVG and PNG into public/icons.
 * Run once with `npx tsx src/pwa/make-icons.ts`; the output is committed. No image library:
 * shapes are rectangles, rasterised with 4×4 supersampling, PNG written with zlib.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BLUE = [0x0b, 0x6b, 0xcb];
const WHITE = [0xff, 0xff, 0xff];

/** Geometry on a 100×100 canvas: rounded background, three rows of bricks. */
function bricks(inset: number): { x: number; y: number; w: number; h: number }[] {
  const s = (100 - 2 * inset) / 100;
  const out: { x: number; y: number; w: number; h: number }[] = [];
  const rows = [[20, 31], [39, 50], [58, 69]];
  rows.forEach(([y0, y1], r) => {
    const xs = r % 2 === 0 ? [[20, 47], [53, 80]] : [[20, 30], [36, 64], [70, 80]];
    for (const [x0, x1] of xs) out.push({ x: inset + x0 * s, y: inset + y0 * s, w: (x1 - x0) * s, h: (y1 - y0) * s });
  });
  return out;
}

function svg(): string {
  const rects = bricks(0).map((b) => `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="1.5"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="#0b6bcb"/><g fill="#fff">${rects}</g><rect x="20" y="76" width="60" height="4" rx="2" fill="#fff" opacity=".6"/></svg>\n`;
}

function png(size: number, maskable: boolean): Buffer {
  const inset = maskable ? 10 : 0; // maskable icons keep their drawing inside the safe circle
  const radius = maskable ? 0 : 18;
  const shapes = bricks(inset);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const ss = 4;
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let inBg = 0;
      let inFg = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = ((px + (sx + 0.5) / ss) / size) * 100;
          const y = ((py + (sy + 0.5) / ss) / size) * 100;
          const cx = Math.min(Math.max(x, radius), 100 - radius);
          const cy = Math.min(Math.max(y, radius), 100 - radius);
          if (radius === 0 || (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius) inBg++;
          if (shapes.some((b) => x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h)) inFg++;
        }
      }
      const n = ss * ss;
      const f = inFg / n;
      const o = py * (size * 4 + 1) + 1 + px * 4;
      for (let c = 0; c < 3; c++) raw[o + c] = Math.round(BLUE[c] * (1 - f) + WHITE[c] * f);
      raw[o + 3] = Math.round((255 * inBg) / n);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const dir = new URL('../../public/icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('icon.svg', dir), svg());
writeFileSync(new URL('icon-192.png', dir), png(192, false));
writeFileSync(new URL('icon-512.png', dir), png(512, false));
writeFileSync(new URL('icon-maskable-512.png', dir), png(512, true));
writeFileSync(new URL('apple-touch-icon.png', dir), png(180, true));
console.log('icons written to public/icons');
