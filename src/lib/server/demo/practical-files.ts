// The files attached to the demo competition's practical tasks: a district Party committee's LAN
// diagram with deliberate mistakes (SVG), and an equipment report spreadsheet with wrong formulas.
import ExcelJS from 'exceljs';

/** Sơ đồ mạng LAN Huyện ủy Trấn Yên, with errors for competitors to find. */
export const BROKEN_LAN_DIAGRAM = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="640" viewBox="0 0 960 640" font-family="Arial, Helvetica, sans-serif" font-size="13">
  <title>Sơ đồ mạng LAN Huyện ủy Trấn Yên (bản có lỗi, dùng cho vòng chung khảo)</title>
  <rect x="0" y="0" width="960" height="640" fill="#ffffff"/>
  <text x="480" y="30" text-anchor="middle" font-size="20" font-weight="bold">SƠ ĐỒ MẠNG LAN HUYỆN ỦY TRẤN YÊN</text>
  <text x="480" y="52" text-anchor="middle" font-size="13" fill="#444">Mạng 10.1.12.0/24 · Kết nối mạng diện rộng Tỉnh ủy Yên Bái · Cập nhật 08/2012</text>

  <!-- WAN -->
  <ellipse cx="480" cy="105" rx="150" ry="32" fill="#e7f0fb" stroke="#0b5cad" stroke-width="2"/>
  <text x="480" y="101" text-anchor="middle" font-weight="bold">Mạng diện rộng Tỉnh ủy</text>
  <text x="480" y="119" text-anchor="middle">Trung tâm: 10.1.0.1</text>
  <line x1="480" y1="137" x2="480" y2="185" stroke="#0b5cad" stroke-width="3"/>

  <!-- Router -->
  <rect x="370" y="185" width="220" height="70" rx="8" fill="#fdf2e9" stroke="#a04000" stroke-width="2"/>
  <text x="480" y="207" text-anchor="middle" font-weight="bold">Router Huyện ủy (R1)</text>
  <text x="480" y="225" text-anchor="middle">WAN: 10.1.0.18 / 255.255.255.0</text>
  <text x="480" y="243" text-anchor="middle">LAN: 10.1.12.1 / 255.255.255.0</text>
  <line x1="480" y1="255" x2="480" y2="305" stroke="#333" stroke-width="3"/>
  <text x="490" y="285" fill="#333">Cổng Gi0/1 ↔ SW1 cổng 24 (access, VLAN 20)</text>

  <!-- Core switch -->
  <rect x="360" y="305" width="240" height="60" rx="8" fill="#eef0f3" stroke="#333" stroke-width="2"/>
  <text x="480" y="330" text-anchor="middle" font-weight="bold">Switch trung tâm SW1 (24 cổng)</text>
  <text x="480" y="350" text-anchor="middle">VLAN 10: Văn phòng · VLAN 20: Các ban</text>

  <!-- Lines to hosts -->
  <line x1="400" y1="365" x2="130" y2="430" stroke="#333" stroke-width="2"/>
  <line x1="440" y1="365" x2="330" y2="430" stroke="#333" stroke-width="2"/>
  <line x1="480" y1="365" x2="530" y2="430" stroke="#333" stroke-width="2"/>
  <line x1="520" y1="365" x2="730" y2="430" stroke="#333" stroke-width="2"/>
  <line x1="560" y1="365" x2="880" y2="430" stroke="#333" stroke-width="2" stroke-dasharray="6 5"/>

  <!-- Server -->
  <rect x="40" y="430" width="180" height="110" rx="6" fill="#e6f4ea" stroke="#1d6b32" stroke-width="2"/>
  <text x="130" y="452" text-anchor="middle" font-weight="bold">Máy chủ thư điện tử</text>
  <text x="130" y="472" text-anchor="middle">IP: nhận tự động (DHCP)</text>
  <text x="130" y="490" text-anchor="middle">Cổng SW1: 1 (VLAN 10)</text>
  <text x="130" y="508" text-anchor="middle">DNS: 10.1.0.10</text>

  <!-- PC office 1 -->
  <rect x="240" y="430" width="180" height="110" rx="6" fill="#ffffff" stroke="#333" stroke-width="2"/>
  <text x="330" y="452" text-anchor="middle" font-weight="bold">PC Văn phòng 1</text>
  <text x="330" y="472" text-anchor="middle">IP: 10.1.12.21 /24</text>
  <text x="330" y="490" text-anchor="middle">Gateway: 10.1.12.1</text>
  <text x="330" y="508" text-anchor="middle">Cổng SW1: 2 (VLAN 10)</text>

  <!-- PC office 2 -->
  <rect x="440" y="430" width="180" height="110" rx="6" fill="#ffffff" stroke="#333" stroke-width="2"/>
  <text x="530" y="452" text-anchor="middle" font-weight="bold">PC Văn phòng 2</text>
  <text x="530" y="472" text-anchor="middle">IP: 10.1.12.21 /24</text>
  <text x="530" y="490" text-anchor="middle">Gateway: 10.1.12.1</text>
  <text x="530" y="508" text-anchor="middle">Cổng SW1: 3 (VLAN 10)</text>

  <!-- PC Ban To chuc -->
  <rect x="640" y="430" width="180" height="110" rx="6" fill="#ffffff" stroke="#333" stroke-width="2"/>
  <text x="730" y="452" text-anchor="middle" font-weight="bold">PC Ban Tổ chức</text>
  <text x="730" y="472" text-anchor="middle">IP: 10.1.12.256 /24</text>
  <text x="730" y="490" text-anchor="middle">Gateway: 10.1.13.1</text>
  <text x="730" y="508" text-anchor="middle">Cổng SW1: 9 (VLAN 20)</text>

  <!-- Printer, unconnected -->
  <rect x="840" y="430" width="110" height="110" rx="6" fill="#fff4d6" stroke="#7a4b00" stroke-width="2"/>
  <text x="895" y="452" text-anchor="middle" font-weight="bold">Máy in mạng</text>
  <text x="895" y="472" text-anchor="middle">IP: 10.1.12.50</text>
  <text x="895" y="490" text-anchor="middle">Chưa cắm cáp</text>

  <!-- UPS and notes -->
  <rect x="40" y="565" width="880" height="60" rx="6" fill="#f6f7f9" stroke="#c9ced6"/>
  <text x="60" y="588">Ghi chú: Router và SW1 cắm chung ổ điện với máy sưởi; chưa có bộ lưu điện (UPS). Đường truyền diện rộng không có thiết bị chống sét.</text>
  <text x="60" y="610">Mật khẩu quản trị router và switch: mặc định của nhà sản xuất (admin/admin), ghi trên nhãn dán mặt trước thiết bị.</text>
</svg>
`;

/** Báo cáo tổng hợp trang thiết bị CNTT: a sum that misses a row, a wrong percentage, dates as text. */
export async function brokenEquipmentReport(): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Văn phòng Tỉnh ủy Yên Bái';
	// Fixed dates: the same bytes on every seed.
	workbook.created = new Date('2012-08-20T02:00:00Z');
	workbook.modified = new Date('2012-08-20T02:00:00Z');
	const sheet = workbook.addWorksheet('Tong hop');
	sheet.getCell('A1').value = 'BÁO CÁO TỔNG HỢP TRANG THIẾT BỊ CÔNG NGHỆ THÔNG TIN';
	sheet.getCell('A2').value = 'Các cơ quan Đảng tỉnh Yên Bái — số liệu đến 30/6/2012';
	sheet.addRow([]);
	sheet.addRow([
		'STT',
		'Đơn vị',
		'Máy chủ',
		'Máy trạm',
		'Máy trạm hỏng',
		'Tỷ lệ hỏng',
		'Ngày kiểm kê'
	]);
	const rows: Array<[number, string, number, number, number, string]> = [
		[1, 'Văn phòng Tỉnh ủy', 12, 96, 7, '15/6/2012'],
		[2, 'Ban Tổ chức Tỉnh ủy', 2, 28, 3, '18/6/2012'],
		[3, 'Ban Tuyên giáo TU', 2, 25, 4, '2012-06-18'],
		[4, 'Thành ủy Yên Bái', 3, 41, 6, '20/6/2012'],
		[5, 'Huyện uỷ Lục Yên', 3, 38, 9, '21/06/2012'],
		[6, 'Huyện ủy Văn Yên', 3, 36, 5, '21/6/2012'],
		[7, 'H.U Trấn Yên', 2, 33, 8, '22/6/2012']
	];
	for (const [i, r] of rows.entries()) {
		const line = 5 + i;
		sheet.addRow([
			r[0],
			r[1],
			r[2],
			r[3],
			r[4],
			// Wrong on purpose: divided by the servers, not the workstations.
			{ formula: `E${line}/C${line}` },
			r[5]
		]);
	}
	// Wrong on purpose: the totals leave out the last unit, and the workstations are typed as text.
	sheet.addRow([
		'',
		'Tổng cộng',
		{ formula: 'SUM(C5:C10)' },
		'277',
		{ formula: 'SUM(E5:E10)' },
		{ formula: 'E12/C12' },
		''
	]);
	sheet.getColumn(2).width = 26;
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A competitor's corrected equipment report (the demo's handed-in practical work). */
export async function fixedEquipmentReport(): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Thí sinh hội thi';
	workbook.created = new Date('2012-08-20T02:00:00Z');
	workbook.modified = new Date('2012-08-20T02:00:00Z');
	const sheet = workbook.addWorksheet('Tong hop');
	sheet.getCell('A1').value = 'BÁO CÁO TỔNG HỢP TRANG THIẾT BỊ CÔNG NGHỆ THÔNG TIN';
	sheet.getCell('A1').font = { bold: true };
	sheet.getCell('A2').value = 'Đơn vị tính: chiếc';
	sheet.addRow([]);
	sheet.addRow(['STT', 'Đơn vị', 'Máy chủ', 'Máy trạm', 'Máy trạm hỏng', 'Tỷ lệ hỏng']);
	const rows: Array<[number, string, number, number, number]> = [
		[1, 'Văn phòng Tỉnh ủy', 12, 96, 7],
		[2, 'Ban Tổ chức Tỉnh ủy', 2, 28, 3],
		[3, 'Ban Tuyên giáo Tỉnh ủy', 2, 25, 4]
	];
	for (const [i, r] of rows.entries()) {
		const line = 5 + i;
		sheet.addRow([...r, { formula: `E${line}/D${line}` }]);
		sheet.getCell(`F${line}`).numFmt = '0.0%';
	}
	sheet.addRow([
		'',
		'Tổng cộng',
		{ formula: 'SUM(C5:C7)' },
		{ formula: 'SUM(D5:D7)' },
		{ formula: 'SUM(E5:E7)' },
		{ formula: 'E8/D8' }
	]);
	sheet.getCell('F8').numFmt = '0.0%';
	sheet.getColumn(2).width = 26;
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}
