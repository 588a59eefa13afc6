// A real PNG of a given size (solid colour, with a darker band), for upload tests.
import zlib from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(zlib.crc32(body));
	return Buffer.concat([length, body, crc]);
}

export function makePng(
	width: number,
	height: number,
	rgb: [number, number, number] = [176, 30, 35]
): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // truecolour
	const rows: Buffer[] = [];
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width * 3);
		const band = y > height / 3 && y < (2 * height) / 3;
		for (let x = 0; x < width; x++) {
			row[1 + x * 3] = band ? rgb[0] >> 1 : rgb[0];
			row[2 + x * 3] = band ? rgb[1] >> 1 : rgb[1];
			row[3 + x * 3] = band ? rgb[2] >> 1 : rgb[2];
		}
		rows.push(row);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0))
	]);
}
